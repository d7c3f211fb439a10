#!/usr/bin/env python3
"""Save latency: key press to the page's acknowledgement, for any version of the page.

Usage: bench/page/page-lab.sh REV save-latency.py LABEL [SAVES]   (calls save-latency.py PAGE_URL OUT_DIR LABEL [SAVES])
On the 700x605 STARE image with start-mask.py's mask, SAVES times (default 20): one brush dot,
then Ctrl+S. Timed inside the page (performance.now): from the keydown (a capture listener the
script adds, so it runs before the page's own) to the moment the page sets body[data-last-save],
which every version of the page does on the server's 201. Writes OUT_DIR/save-LABEL.json.
"""
import json
import os
import statistics
import sys

from selenium.webdriver.common.action_chains import ActionChains

from pagedriver import browser, open_image, save, upload

TRACE = """
  window.saveTrace = [];
  document.addEventListener('keydown', (e) => { if (e.ctrlKey && e.key === 's') window.saveTrace.push(['key', performance.now()]); }, true);
  new MutationObserver(() => window.saveTrace.push(['ack', performance.now()]))
    .observe(document.body, { attributes: true, attributeFilter: ['data-last-save'] });
"""


def main():
    url, folder, label = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    saves = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    sha = upload(url, folder)
    driver = browser()
    latencies = []
    try:
        open_image(driver, url, sha)
        driver.execute_script(TRACE)
        driver.execute_script("document.getElementById('tool-brush').click()")
        v = driver.execute_script("return Object.assign({}, window.loupeView)")
        for k in range(saves):
            x, y = 20 + 6 * k, 20  # background, outside the field of view
            actions = ActionChains(driver, duration=10)
            actions.w3c_actions.pointer_action.move_to_location(
                round(v["canvasLeft"] + v["offsetX"] + x * v["scale"]), round(v["canvasTop"] + v["offsetY"] + y * v["scale"])).click()
            actions.perform()
            driver.execute_script("window.saveTrace.length = 0")
            save(driver)
            trace = dict(driver.execute_script("return window.saveTrace"))
            latencies.append(round(trace["ack"] - trace["key"], 1))
        # This branch's page also times its encoding (saving.js); main's does not.
        encode = driver.execute_script("return (window.loupeSaves || []).map((s) => Math.round(s.encodeMs))")
    finally:
        driver.quit()
    result = {"label": label, "saves": latencies, "median": statistics.median(latencies), "max": max(latencies), "encodeMs": encode}
    print(json.dumps(result))
    with open(os.path.join(folder, f"save-{label}.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
