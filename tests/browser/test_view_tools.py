"""The page's view modes, overlay modes, region tools and saving, in Chromium against `loupe run`.

One test a feature, in one browser on one 700x605 image the module uploads (a photograph with
dark vessels, and as its starting mask a correction with known pieces: a wide band, a diagonal
one-pixel line, a square speck and a block). Each test works on its own part of the image,
saves with Ctrl+S and reads the saved mask back through the API, so what is checked is what the
server recorded. Canvas pixels are read from the page's canvas (device pixel ratio 1).

Environment: as test_page.py (LOUPE_URL, LOUPE_TOKEN); LOUPE_SCREENSHOTS is the folder for the
view and overlay screenshots (default .build/screenshots; docs/screenshots for the docs), and
LOUPE_MEASUREMENTS the JSON file the measured times are written to (default
.build/browser-measurements.json).

Run: scripts/browser-lab.sh   (or pytest tests/browser/test_view_tools.py against a running lab)
"""
import json
import os
import re
import statistics
import time
import urllib.request

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from make_images import png
from test_page import (ROOT, TOKEN, URL, WAIT, Failure, api, drag, make_driver, png_decode, screenshot,
                       to_viewport, view, wait_for)

W, H = 700, 605
SCREENSHOTS = os.environ.get("LOUPE_SCREENSHOTS", os.path.join(ROOT, ".build", "screenshots"))
MEASUREMENTS = os.environ.get("LOUPE_MEASUREMENTS", os.path.join(ROOT, ".build", "browser-measurements.json"))
SAVE_BUDGET_MS = 300

# The starting mask's pieces (image pixels, x1 and y1 exclusive).
BAND = (40, 96, 660, 108)            # a wide horizontal vessel
SQUARE = (300, 300, 306, 306)        # a speck
DIAGONAL = [(400 + k, 380 + k) for k in range(40)]  # one pixel wide: 8-connected only
BLOCK = (520, 440, 560, 480)         # a blob for the lasso eraser


def in_box(box, x, y):
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def starting_mask(x, y):
    return in_box(BAND, x, y) or in_box(SQUARE, x, y) or (x, y) in DIAGONAL_SET or in_box(BLOCK, x, y)


DIAGONAL_SET = set(DIAGONAL)


def photograph(x, y):
    """An orange fundus with a brightness gradient; the band and a faint vessel are darker."""
    if in_box(BAND, x, y):
        return [90, 40, 25]
    faint = abs(y - (250 + 0.1 * x)) < 2
    shade = (x * 3 + y) % 47 - 23
    return [180 + shade // 2, 95 + shade // 3 - (18 if faint else 0), 40]


def post(path, data, content_type):
    request = urllib.request.Request(URL + "/api/v1" + path, data=data, method="POST")
    request.add_header("Content-Type", content_type)
    if TOKEN:
        request.add_header("Authorization", "Bearer " + TOKEN)
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        return json.loads(response.read())


# ---- the page ---------------------------------------------------------------------------------

class Page:
    """One browser on the test image, with the gestures and readings the tests need."""

    def __init__(self, driver, image_id):
        self.driver = driver
        self.image_id = image_id

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def frame(self):
        """Waits until the page has drawn (two animation frames)."""
        self.driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")

    def keys(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def chord(self, modifier, key):
        ActionChains(self.driver).key_down(modifier).send_keys(key).key_up(modifier).perform()

    def at(self, x, y):
        """Viewport point of image point (x, y)."""
        return to_viewport(view(self.driver), x, y)

    def click(self, x, y):
        actions = ActionChains(self.driver, duration=20)
        actions.w3c_actions.pointer_action.move_to_location(*self.at(x, y)).click()
        actions.perform()

    def drag(self, points):
        before = view(self.driver)
        drag(self.driver, [self.at(x, y) for x, y in points])
        if view(self.driver) != before:
            raise Failure(f"the view moved under the drag: {before} -> {view(self.driver)}")

    def canvas_rgb(self, x, y):
        """The canvas pixel drawn for image pixel (x, y) (its centre), read in one script so that
        the view cannot change between finding the pixel and reading it."""
        return self.js("const v = window.loupeView, c = document.getElementById('view').getContext('2d');"
                       "const cx = Math.floor(v.offsetX + (arguments[0] + 0.5) * v.scale), cy = Math.floor(v.offsetY + (arguments[1] + 0.5) * v.scale);"
                       "return Array.from(c.getImageData(cx, cy, 1, 1).data.slice(0, 3));", x, y)

    def vessel_pixels(self):
        text = self.js("return document.getElementById('image-info').textContent")
        found = re.search(r"(\d+) vessel px", text)
        if not found:
            raise Failure(f"no vessel pixel count in the image info: {text!r}")
        return int(found.group(1))

    def saves(self):
        return self.js("return document.body.dataset.lastSave || ''")

    def save(self):
        """Ctrl+S; waits for the acknowledgement and returns the saved mask as 0/1 rows (y, x)."""
        before = self.saves()
        self.chord(Keys.CONTROL, "s")
        wait_for(self.driver, "the save to be acknowledged", lambda d: self.saves() not in ("", before))
        return self.saved_mask()

    def saved_mask(self):
        body, _ = api(f"/images/{self.image_id}/correction.png", raw=True)
        w, h, values = png_decode(body)
        if (w, h) != (W, H):
            raise Failure(f"saved mask is {w}x{h}, not {W}x{H}")
        return lambda x, y: 1 if values[y * W + x] >= 128 else 0

    def open(self, image_id):
        self.js("location.hash = arguments[0]", image_id)
        wait_for(self.driver, f"image {image_id} to open", lambda d: self.js("return document.body.dataset.openImage") == image_id)
        wait_for(self.driver, "the image to be writable", lambda d: self.js("return !document.getElementById('save').disabled"))


@pytest.fixture(scope="module")
def page():
    if not URL:
        raise Failure("set LOUPE_URL to a running `loupe run`, e.g. http://127.0.0.1:18417")
    rows = [[c for x in range(W) for c in photograph(x, y)] for y in range(H)]
    # A new image each run (its corner pixel differs), so no earlier run's correction is its latest.
    nonce = os.urandom(3)
    rows[0][:3] = nonce
    name = f"view-tools-{nonce.hex()}.png"
    image_id = post(f"/images?name={name}", png(W, H, 3, rows), "image/png")["sha"]
    if api("/status").get("currentModel"):
        # Opened before its prediction exists, the page's request for it would log a 404.
        deadline = time.monotonic() + 120
        while not api(f"/images/{image_id}").get("predictionModel"):
            if time.monotonic() > deadline:
                raise Failure(f"{name} got no prediction within 120 s")
            time.sleep(0.2)
    mask = png(W, H, 1, [[255 if starting_mask(x, y) else 0 for x in range(W)] for y in range(H)])
    post(f"/images/{image_id}/corrections", mask, "image/png")

    driver = make_driver()
    driver.set_window_size(1024, 700)
    try:
        driver.get(URL + "/")
        if TOKEN:
            driver.execute_script("localStorage.setItem('loupe.token', arguments[0])", TOKEN)
        driver.get(f"{URL}/#{image_id}")
        driver.refresh()  # a new hash alone would not reload the page, which would stay signed out
        p = Page(driver, image_id)
        wait_for(driver, "the page to start", lambda d: p.js("return document.body.dataset.ready === '1'"))
        p.open(image_id)
        wait_for(driver, "the starting mask (the uploaded correction)",
                 lambda d: p.js("return document.body.dataset.maskSource") == "latest correction")
        yield p
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def measurements():
    found = {}
    yield found
    os.makedirs(os.path.dirname(os.path.abspath(MEASUREMENTS)), exist_ok=True)
    with open(MEASUREMENTS, "w") as f:
        json.dump(found, f, indent=2)


def shoot(page, name):
    page.frame()
    screenshot(page.driver, os.path.join(SCREENSHOTS, name))


def reset_view(page):
    """Colour, fill, full opacity, mask shown: what the pixel checks below assume."""
    page.js("const o = document.getElementById('opacity'); o.value = '100'; o.dispatchEvent(new Event('input'));")
    page.js("for (const [id, value] of [['look-mode', 'colour'], ['overlay-mode', 'fill']]) {"
            "  const s = document.getElementById(id); s.value = value; s.dispatchEvent(new Event('change')); }"
            "const m = document.getElementById('show-mask'); if (!m.checked) m.click();")
    page.frame()


# ---- seeing -----------------------------------------------------------------------------------

def test_view_modes_change_pixels(page, measurements):
    reset_view(page)
    page.keys("t")  # the mask hidden: the photograph's own pixels
    page.frame()
    points = [(100 + 37 * k, 200 + 11 * k) for k in range(12)]  # background, off the mask
    colour = [page.canvas_rgb(x, y) for x, y in points]
    if any(r == g for r, g, _ in colour):
        raise Failure(f"colour mode shows grey pixels: {colour}")
    shoot(page, "view-colour.png")

    page.keys("v")
    page.frame()
    green = [page.canvas_rgb(x, y) for x, y in points]
    expected = [photograph(x, y)[1] for x, y in points]
    # Below 100% the canvas smooths the photograph: a pixel is a blend of its neighbours'.
    around = [[photograph(x + dx, y + dy)[1] for dx in range(-2, 3) for dy in range(-2, 3)] for x, y in points]
    if any(r != g or g != b or not min(n) <= g <= max(n) for (r, g, b), n in zip(green, around)):
        raise Failure(f"green mode should show the green channel as grey {expected}, shows {green}")
    shoot(page, "view-green.png")

    page.keys("v")
    page.frame()
    enhanced = [page.canvas_rgb(x, y) for x, y in points]
    if any(r != g or g != b for r, g, b in enhanced):
        raise Failure(f"the enhanced view is not grey: {enhanced}")
    spread = max(e[0] for e in enhanced) - min(e[0] for e in enhanced)
    if spread <= max(expected) - min(expected):
        raise Failure(f"CLAHE did not stretch the contrast: spread {spread} vs the green channel's {max(expected) - min(expected)}")
    look = page.js("return window.loupeLook")
    if look["mode"] != "enhanced" or not look["enhanceMs"] or look["enhanceMs"] > 250:
        raise Failure(f"the enhancement of a {W}x{H} image should take under 250 ms: {look}")
    measurements["claheMs"] = look["enhanceMs"]
    shoot(page, "view-enhanced.png")

    # Gamma above 100 lightens every mid-grey pixel; 0 puts it back.
    page.js("const g = document.getElementById('look-gamma'); g.value = '200'; g.dispatchEvent(new Event('input'));")
    page.frame()
    lighter = [page.canvas_rgb(x, y) for x, y in points]
    if not all(l[0] > e[0] for l, e in zip(lighter, enhanced) if 0 < e[0] < 255):
        raise Failure(f"gamma 200 should lighten every pixel: {enhanced} -> {lighter}")
    page.keys("0")
    page.frame()
    if [page.canvas_rgb(x, y) for x, y in points] != enhanced:
        raise Failure("0 did not reset gamma")
    page.keys("v", "t")  # back to colour, mask shown
    if page.js("return window.loupeLook.mode") != "colour":
        raise Failure("V after enhanced should cycle back to colour")


def test_overlay_modes(page):
    reset_view(page)
    inside, speck = (300, 102), (303, 303)  # band interior; square interior
    if page.canvas_rgb(*inside) != [0, 230, 255]:
        raise Failure(f"fill at full opacity should show the mask colour, shows {page.canvas_rgb(*inside)}")
    shoot(page, "overlay-fill.png")

    page.keys("o")
    page.frame()
    if page.canvas_rgb(*inside) != photograph(*inside):
        raise Failure(f"outline should leave the band's interior clear: {page.canvas_rgb(*inside)} vs photo {photograph(*inside)}")
    edge = [page.canvas_rgb(300, y) for y in range(BAND[1] - 2, BAND[1] + 3)]
    if [0, 230, 255] not in edge:
        raise Failure(f"outline shows no edge at the band's top: {edge}")
    shoot(page, "overlay-outline.png")

    page.keys("o")
    page.js("document.getElementById('tool-brush').click()")
    page.click(150, 200)  # a dot on background: added
    page.keys("d")
    page.click(*speck)    # the square: removed
    page.frame()
    added, removed = page.canvas_rgb(150, 200), page.canvas_rgb(*speck)
    kept = page.canvas_rgb(*inside)
    if added != [255, 205, 0] or removed != [255, 0, 200]:
        raise Failure(f"changes should show added yellow and removed magenta: added {added}, removed {removed}")
    if kept in ([0, 230, 255], photograph(*inside)):
        raise Failure(f"changes should show kept vessel faintly: {kept}")
    shoot(page, "overlay-changes.png")
    page.chord(Keys.CONTROL, "z")
    page.chord(Keys.CONTROL, "z")
    page.keys("o")  # back to fill


# ---- fixing -----------------------------------------------------------------------------------

def test_click_deletes_connected_component(page):
    reset_view(page)
    before = page.vessel_pixels()
    page.keys("d")
    x, y = DIAGONAL[len(DIAGONAL) // 2]
    page.click(x, y)
    if page.vessel_pixels() != before - len(DIAGONAL):
        raise Failure(f"one click should remove the {len(DIAGONAL)}-pixel diagonal: {before} -> {page.vessel_pixels()}")
    mask = page.save()
    left = [(x, y) for x, y in DIAGONAL if mask(x, y)]
    if left or not mask(*BAND[:2]) or not mask(BLOCK[0], BLOCK[1]):
        raise Failure(f"the diagonal should be gone and the rest kept: {len(left)} diagonal pixels left")
    page.chord(Keys.CONTROL, "z")
    if page.vessel_pixels() != before:
        raise Failure("undo should bring the diagonal back")


def test_erasing_polyline(page):
    reset_view(page)
    page.chord(Keys.SHIFT, "L")
    if page.js("return window.loupeView.tool") != "polyline-erase":
        raise Failure(f"Shift+L should pick the erasing polyline, not {page.js('return window.loupeView.tool')}")
    page.click(200, 80)
    page.click(200, 125)
    page.keys(Keys.ENTER)
    mask = page.save()
    radius = page.js("return window.loupeView.brushRadius")
    cut = [mask(x, y) for x in range(200 - int(radius) + 1, 200 + int(radius)) for y in range(BAND[1], BAND[3])]
    if any(cut):
        raise Failure(f"the erasing polyline left {sum(cut)} band pixels where it crossed")
    if not all(mask(x, y) for x in (150, 250) for y in range(BAND[1], BAND[3])):
        raise Failure("the erasing polyline erased beyond its width")


def test_lasso_fill_and_erase(page):
    reset_view(page)
    page.keys("a")
    square = [(100, 400), (160, 400), (160, 460), (100, 460), (100, 400)]
    page.drag(square)
    page.chord(Keys.SHIFT, "A")
    around = [(BLOCK[0] - 5, BLOCK[1] - 5), (BLOCK[2] + 5, BLOCK[1] - 5), (BLOCK[2] + 5, BLOCK[3] + 5), (BLOCK[0] - 5, BLOCK[3] + 5), (BLOCK[0] - 5, BLOCK[1] - 5)]
    page.drag(around)
    mask = page.save()
    filled = sum(mask(x, y) for x in range(104, 157) for y in range(404, 457))
    if filled != 53 * 53:
        raise Failure(f"the lasso should fill its inside: {filled} of {53 * 53} pixels inside are vessel")
    if mask(90, 430) or mask(170, 430):
        raise Failure("the lasso filled outside its outline")
    erased = sum(mask(x, y) for x in range(BLOCK[0], BLOCK[2]) for y in range(BLOCK[1], BLOCK[3]))
    if erased:
        raise Failure(f"the lasso eraser left {erased} pixels of the block")


def test_polyline_survives_tool_switch(page):
    reset_view(page)
    page.keys("l")
    line = [(100, 520), (200, 540), (300, 520)]
    for x, y in line:
        page.click(x, y)
    before = page.vessel_pixels()
    page.keys("e")  # a tool switch mid-polyline: the line is drawn, not thrown away
    drawn = page.vessel_pixels() - before
    if drawn < 200:
        raise Failure(f"switching tool should draw the polyline: {drawn} pixels added")
    mask = page.save()
    if not all(mask(x, y) for x, y in line + [(150, 530), (250, 530)]):
        raise Failure("the saved mask lacks the polyline drawn at the tool switch")
    page.chord(Keys.CONTROL, "z")
    if page.vessel_pixels() != before:
        raise Failure("one undo should take the whole polyline back")


# ---- saving -----------------------------------------------------------------------------------

def test_save_shows_state_and_is_fast(page, measurements):
    reset_view(page)
    page.js("""
      window.saveTrace = [];
      const out = document.getElementById('save-state');
      new MutationObserver(() => window.saveTrace.push([out.textContent, performance.now()]))
        .observe(out, { childList: true, characterData: true, subtree: true });
      document.addEventListener('keydown', (e) => { if (e.key === 's' && e.ctrlKey) window.saveTrace.push(['key', performance.now()]); }, true);
    """)
    page.keys("b")
    latencies = []
    for k in range(7):
        page.click(120 + 10 * k, 580)
        page.js("window.saveTrace = []")
        page.save()
        trace = page.js("return window.saveTrace")
        texts = [t for t, _ in trace]
        if "saving…" not in texts or "saved" not in texts or texts.index("saving…") > texts.index("saved"):
            raise Failure(f"the save state should go saving… -> saved: {texts}")
        key = next(at for t, at in trace if t == "key")
        acked = next(at for t, at in trace if t == "saved")
        latencies.append(acked - key)
    marks = page.js("return window.loupeSaves")[-len(latencies):]
    measurements["saveKeyToAckMs"] = latencies
    measurements["saveMarksMs"] = [m["keyToAckMs"] for m in marks]
    measurements["saveEncodeMs"] = [m["encodeMs"] for m in marks]
    if statistics.median(latencies) >= SAVE_BUDGET_MS:
        raise Failure(f"key -> saved took {latencies} ms: the median should be under {SAVE_BUDGET_MS} ms")
    page.click(195, 580)
    if page.js("return document.getElementById('save-state').textContent") != "unsaved":
        raise Failure("an edit after a save should show unsaved")
    page.chord(Keys.CONTROL, "z")


def slow_saves(page, ms):
    """Holds each correction POST back `ms` before sending it; window.restoreFetch() undoes it."""
    page.js("""
      const fetch0 = window.fetch, ms = arguments[0];
      window.fetch = (url, init) => (init && init.method === 'POST' && String(url).includes('/corrections'))
        ? new Promise((ok) => setTimeout(ok, ms)).then(() => fetch0(url, init)) : fetch0(url, init);
      window.restoreFetch = () => { window.fetch = fetch0; };
    """, ms)


def test_save_during_a_save_is_not_dropped(page):
    reset_view(page)
    slow_saves(page, 600)
    page.keys("b")
    page.click(560, 150)
    page.chord(Keys.CONTROL, "s")
    page.click(580, 150)
    page.chord(Keys.CONTROL, "s")  # while the first save is on its way
    wait_for(page.driver, "both saves to be acknowledged",
             lambda d: page.js("return document.getElementById('save-state').textContent") == "saved")
    page.js("window.restoreFetch()")
    mask = page.saved_mask()
    if not (mask(560, 150) and mask(580, 150)):
        raise Failure("the second Ctrl+S, pressed during the first save, was not saved")


def test_save_and_next_keeps_edits(page):
    reset_view(page)
    # An edit made while the save is on its way is not marked saved, and the image stays open.
    slow_saves(page, 600)
    page.keys("b")
    page.click(600, 200)
    before = page.saves()
    page.keys("n")
    page.click(620, 200)  # while the save waits
    wait_for(page.driver, "the save to be acknowledged", lambda d: page.saves() not in ("", before))
    page.js("window.restoreFetch()")
    time.sleep(0.5)
    if page.js("return document.body.dataset.openImage") != page.image_id:
        raise Failure("save-and-next moved on though an edit made during the save was not saved")
    if page.js("return document.getElementById('save-state').textContent") != "unsaved":
        raise Failure("the edit made during the save should show as unsaved")
    mask = page.save()
    if not (mask(600, 200) and mask(620, 200)):
        raise Failure("both edits should be in the mask saved next")

    # A polyline being drawn when N is pressed is saved before the next image opens.
    queue = api("/queue")["items"]
    page.keys("l")
    page.click(600, 250)
    page.click(640, 250)
    before = page.saves()
    page.keys("n")
    wait_for(page.driver, "the save to be acknowledged", lambda d: page.saves() not in ("", before))
    if queue:
        wait_for(page.driver, "the next image to open", lambda d: page.js("return document.body.dataset.openImage") not in ("", page.image_id))
    mask = page.saved_mask()
    if not all(mask(x, 250) for x in range(600, 641, 10)):
        raise Failure("the polyline in progress when N was pressed is not in the saved mask")
    page.open(page.image_id)


def test_no_console_errors(page):
    errors = [entry["message"] for entry in page.driver.get_log("browser") if entry["level"] == "SEVERE"]
    if errors:
        raise Failure(f"the console logged {len(errors)} errors: {errors[:5]}")
