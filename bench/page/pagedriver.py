"""What the page's measurements share: a headless Chromium, the STARE image with the starting
mask as its latest correction, opening it in the page, and saving."""
import json
import os
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys


def api(url, path, data=None, content_type=None):
    request = urllib.request.Request(url + "/api/v1" + path, data=data, method="POST" if data else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        return json.loads(body) if response.headers.get("Content-Type", "").startswith("application/json") else body


def upload(url, folder):
    """The image of folder/fixes.json (from STARE_DIR) with folder/start.png as its correction; its id."""
    spec = json.load(open(os.path.join(folder, "fixes.json")))
    stare = os.environ.get("STARE_DIR", "../shared/datasets/stare")
    image = open(os.path.join(stare, "images", spec["image"] + ".png"), "rb").read()
    sha = api(url, f"/images?name={spec['image']}.png", image, "image/png")["sha"]
    api(url, f"/images/{sha}/corrections", open(os.path.join(folder, "start.png"), "rb").read(), "image/png")
    return sha


def browser(width=1400, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                "--force-device-scale-factor=1"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def until(what, condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def open_image(driver, url, sha):
    driver.get(f"{url}/#{sha}")
    until("the image to open", lambda: driver.execute_script(
        "return document.body.dataset.openImage === arguments[0] && !document.getElementById('save').disabled", sha))


def save(driver, timeout=120):
    """Ctrl+S, then waits for the page to record the acknowledged seq (main's page took over 30 s
    at times: bench/results/page-actions.md)."""
    # main's page drops a save asked for while the previous one is still reloading the queue.
    until("the previous save to finish", lambda: not driver.execute_script("return document.getElementById('save').disabled"), timeout)
    before = driver.execute_script("return document.body.dataset.lastSave || ''")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    until("the save to be acknowledged", lambda: driver.execute_script("return document.body.dataset.lastSave || ''") not in ("", before), timeout)
