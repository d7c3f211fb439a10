"""The page in a real browser, against a running `loupe run`.

Drives Debian's chromium through Selenium (chromedriver at /usr/bin/chromedriver, headless):
signs in with a token, opens the top of the queue, paints one brush stroke with real mouse
actions, saves, and checks through the API that the correction was recorded for the annotator
and that the pixels it changed lie exactly within the stroke's footprint. On the way it checks
that the page's event stream connects (with ?token= when signed in).

Environment:
  LOUPE_URL        the daemon's page, e.g. http://127.0.0.1:18417 (required)
  LOUPE_TOKEN      a token for LOUPE_ANNOTATOR (absent: an open loopback lab, annotator "local")
  LOUPE_ANNOTATOR  the annotator the token belongs to (default: whatever /session says)
  LOUPE_LAB        the lab folder (optional: then the correction's mask must be in objects/)
  LOUPE_SCREENSHOT where to save a screenshot of the open image (default .build/browser-page.png)
  LOUPE_CHROMEDRIVER, LOUPE_CHROMIUM  override /usr/bin/chromedriver and /usr/bin/chromium

Coordinates: the page publishes its view transform as window.loupeView = {scale, offsetX,
offsetY, canvasLeft, canvasTop, brushRadius, ...}; a viewport point (vx, vy) over the canvas is
image point ((vx - canvasLeft - offsetX) / scale, (vy - canvasTop - offsetY) / scale), and the
brush sets every pixel whose centre (i + .5, j + .5) lies within brushRadius of the segment the
pointer moved along. The test picks a segment in image coordinates, converts it to integer
viewport points, converts those back (what the page will see), and predicts the footprint.

Run: pytest tests/browser/test_page.py   (or scripts/browser-check.sh, which sets up a venv)
"""
import json
import math
import os
import struct
import sys
import time
import urllib.error
import urllib.request
import zlib

URL = os.environ.get("LOUPE_URL", "").rstrip("/")
TOKEN = os.environ.get("LOUPE_TOKEN", "")
ANNOTATOR = os.environ.get("LOUPE_ANNOTATOR", "")
LAB = os.environ.get("LOUPE_LAB", "")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOT = os.environ.get("LOUPE_SCREENSHOT", os.path.join(ROOT, ".build", "browser-page.png"))
WAIT = float(os.environ.get("LOUPE_WAIT", "30"))  # seconds for any one thing to happen


class Failure(AssertionError):
    pass


# ---- the API, through urllib --------------------------------------------------------------

def api(path, *, raw=False, method="GET", allow_404=False):
    request = urllib.request.Request(URL + "/api/v1" + path, method=method)
    if TOKEN:
        request.add_header("Authorization", "Bearer " + TOKEN)
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            body = response.read()
            if raw:
                return body, response.headers
            return json.loads(body)
    except urllib.error.HTTPError as e:
        if allow_404 and e.code == 404:
            return (None, None) if raw else None
        detail = e.read().decode("utf-8", "replace")[:500]
        raise Failure(f"{method} {path} -> {e.code}: {detail}") from None
    except urllib.error.URLError as e:
        raise Failure(f"cannot reach {URL}: {e.reason} (is `loupe run` up? LOUPE_URL={URL!r})") from None


def png_decode(data):
    """8-bit, non-interlaced grey / grey+alpha / RGB / RGBA PNG -> (width, height, first channel bytes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        kind, chunk = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = ihdr
    if depth != 8 or interlace or colour not in (0, 2, 4, 6):
        raise Failure(f"PNG with depth {depth}, colour type {colour}, interlace {interlace}: the test decodes 8-bit grey/RGB(A) only")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    prev = bytearray(stride)
    out = bytearray(width * height)
    i = 0
    for y in range(height):
        kind = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out[y * width:(y + 1) * width] = line[0::channels]
        prev = line
    return width, height, out


# ---- geometry -----------------------------------------------------------------------------

def footprint(points, radius, width, height):
    """Pixels whose centre lies within radius of the polyline through points (image coords)."""
    inside = set()
    segments = list(zip(points, points[1:])) or [(points[0], points[0])]
    for (ax, ay), (bx, by) in segments:
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        for j in range(max(0, math.floor(min(ay, by) - radius) - 1), min(height, math.ceil(max(ay, by) + radius) + 2)):
            for i in range(max(0, math.floor(min(ax, bx) - radius) - 1), min(width, math.ceil(max(ax, bx) + radius) + 2)):
                px, py = i + 0.5, j + 0.5
                t = 0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
                if math.hypot(px - ax - t * dx, py - ay - t * dy) <= radius:
                    inside.add((i, j))
    return inside


def choose_stroke(baseline, width, height, radius):
    """A horizontal segment in the middle of the image over as much background as possible."""
    best = None
    x0, x1 = width * 0.3, width * 0.7
    for y in range(int(height * 0.3), int(height * 0.7) + 1):
        cy = y + 0.5
        cells = footprint([(x0, cy), (x1, cy)], radius, width, height)
        background = sum(1 for (i, j) in cells if baseline[j * width + i] < 128)
        if best is None or background > best[0]:
            best = (background, cy)
    if not best or best[0] == 0:
        raise Failure("no background under any candidate stroke: the brush would change nothing")
    return (x0, best[1]), (x1, best[1])


# ---- the browser --------------------------------------------------------------------------

def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("LOUPE_CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,900", "--force-device-scale-factor=1", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("LOUPE_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def wait_for(driver, what, condition, timeout=WAIT):
    """Polls condition(driver) until truthy; fails with what was awaited and the page's notice."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition(driver)
            if value:
                return value
        except Exception as e:  # a stale element while the page re-renders: try again
            last_error = e
        time.sleep(0.1)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}; page says: {page_notice(driver)!r}"
                  + (f"; last error: {last_error}" if last_error else "") + f"; console: {console(driver)}")


def page_notice(driver):
    try:
        return driver.execute_script(
            "const n = document.getElementById('notice');"
            "const m = document.querySelector('#messages li');"
            "return [n && !n.hidden ? n.textContent : '', m ? m.textContent : ''].join(' | ');")
    except Exception as e:
        return f"(unreadable: {e})"


def console(driver):
    try:
        return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")][-8:]
    except Exception:
        return []


def screenshot(driver, path, limit=400_000):
    """The viewport as PNG, scaled down (through the DevTools protocol) until under limit bytes."""
    import base64
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    size = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png",
            "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": scale},
        })
        data = base64.b64decode(shot["data"])
        if len(data) <= limit:
            break
    with open(path, "wb") as f:
        f.write(data)


def view(driver):
    return driver.execute_script("return window.loupeView ? Object.assign({}, window.loupeView) : null;")


def to_viewport(v, x, y):
    return (round(v["canvasLeft"] + v["offsetX"] + x * v["scale"]), round(v["canvasTop"] + v["offsetY"] + y * v["scale"]))


def to_image(v, vx, vy):
    return ((vx - v["canvasLeft"] - v["offsetX"]) / v["scale"], (vy - v["canvasTop"] - v["offsetY"]) / v["scale"])


def drag(driver, points):
    """Left-button drag through viewport points, as a user's mouse would."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.mouse_button import MouseButton

    actions = ActionChains(driver, duration=50)
    pointer = actions.w3c_actions.pointer_action
    pointer.move_to_location(*points[0])
    pointer.pointer_down(MouseButton.LEFT)
    for p in points[1:]:
        pointer.move_to_location(*p)
    pointer.pointer_up(MouseButton.LEFT)
    actions.perform()
    ActionBuilder(driver).clear_actions()


# ---- the test -----------------------------------------------------------------------------

def test_page():
    if not URL:
        raise Failure("set LOUPE_URL to a running `loupe run`, e.g. http://127.0.0.1:18417")
    session = api("/session")
    annotator = ANNOTATOR or session.get("annotator") or "local"
    if TOKEN and session.get("annotator") != annotator:
        raise Failure(f"the token belongs to {session.get('annotator')!r}, not LOUPE_ANNOTATOR={annotator!r}")
    # An open lab (no token) records its one local user as null or "local": the contract allows both.
    recorded_as = {annotator} if (TOKEN or ANNOTATOR) else {None, "local"}
    queue = api("/queue")
    if not queue.get("items"):
        raise Failure("the queue is empty: the lab needs at least one image waiting for correction")
    top = queue["items"][0]
    image_id = top["id"]

    driver = make_driver()
    try:
        driver.get(URL + "/")
        wait_for(driver, "the page to start (body[data-ready])",
                 lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
        if TOKEN:
            field = driver.find_element("id", "token")
            field.clear()
            field.send_keys(TOKEN)
            driver.find_element("id", "sign-in").click()
            wait_for(driver, f"signing in as {annotator}",
                     lambda d: d.execute_script("return document.body.dataset.annotator") == annotator)

        # The live stream (with ?token= when there is one: EventSource sends no headers).
        wait_for(driver, "the event stream to connect (GET /api/v1/events)",
                 lambda d: d.execute_script("return document.getElementById('conn').className") == "live")

        row = wait_for(driver, "the top of the queue in the page",
                       lambda d: d.find_element("css selector", f"#queue tbody tr[data-id='{image_id}']"))
        row.click()
        wait_for(driver, f"image {top['name']} to open",
                 lambda d: d.execute_script("return document.body.dataset.openImage") == image_id)
        wait_for(driver, "the open image to be writable (claimed)",
                 lambda d: d.execute_script("return !document.getElementById('save').disabled"))

        # What the page started from: the latest correction, else the prediction, else empty.
        # A new prediction may land meanwhile (the page then reloads its untouched mask), so
        # fetch until the API and the page name the same model and source.
        detail = api(f"/images/{image_id}")
        summary = detail.get("image", detail)
        width, height = summary["width"], summary["height"]

        def baseline_agreed(d):
            prediction, headers = api(f"/images/{image_id}/prediction.png", raw=True, allow_404=True)
            model = headers.get("X-Loupe-Model") if headers else None
            earlier, _ = api(f"/images/{image_id}/correction.png", raw=True, allow_404=True)
            source = "latest correction" if earlier else "prediction" if prediction else "empty"
            page = d.execute_script("return [document.body.dataset.maskModel, document.body.dataset.maskSource]")
            if page != [model or "", source]:
                return None
            return model, earlier or prediction

        model, base_png = wait_for(driver, "the page's mask to match the API's latest prediction/correction", baseline_agreed)
        if base_png:
            w, h, baseline = png_decode(base_png)
            if (w, h) != (width, height):
                raise Failure(f"mask is {w}x{h}, image {width}x{height}")
        else:
            baseline = bytearray(width * height)
        before_corrections = [e for e in api(f"/images/{image_id}/history")["events"] if e["type"] == "CorrectionAccepted"]

        time.sleep(0.3)  # one frame for the overlay
        screenshot(driver, SCREENSHOT)

        # One brush stroke across background, in image coordinates, through the page's view.
        driver.find_element("id", "tool-brush").click()
        v = view(driver)
        if not v or not v.get("scale") or v.get("width") != width or v.get("height") != height:
            raise Failure(f"window.loupeView does not describe a {width}x{height} image: {v}")
        radius = v["brushRadius"]
        a, b = choose_stroke(baseline, width, height, radius)
        steps = 6
        screen = [to_viewport(v, a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps) for k in range(steps + 1)]
        drag(driver, screen)
        if view(driver)["scale"] != v["scale"] or view(driver)["offsetX"] != v["offsetX"]:
            raise Failure("the view moved while painting")
        # Where the page saw the pointer. The stroke is horizontal, so whatever intermediate
        # moves the driver adds lie on the same row: the footprint is exact (1e-6 for rounding).
        seen = [to_image(v, *p) for p in screen]
        allowed = footprint(seen, radius + 1e-6, width, height)
        core = footprint(seen, max(radius - 0.75, 0.1), width, height)  # surely painted

        # Save (Ctrl+S would do the same) and wait for the page to report the seq.
        driver.find_element("id", "save").click()
        seq = wait_for(driver, "the save to be acknowledged (201)",
                       lambda d: d.execute_script("return document.body.dataset.lastSave"))

        history = api(f"/images/{image_id}/history")["events"]
        accepted = [e for e in history if e["type"] == "CorrectionAccepted" and e not in before_corrections]
        if not accepted:
            raise Failure(f"no new CorrectionAccepted in the history of {top['name']} (page said seq {seq})")
        event = accepted[-1]
        if str(event["seq"]) != str(seq):
            raise Failure(f"page reported seq {seq}, history's newest correction is seq {event['seq']}")
        if event["payload"].get("annotator") not in recorded_as:
            raise Failure(f"correction recorded for {event['payload'].get('annotator')!r}, expected {annotator!r}")
        if model and event["payload"].get("basedOnModel") != model:
            raise Failure(f"correction based on {event['payload'].get('basedOnModel')!r}, the page showed model {model!r}")
        detail = api(f"/images/{image_id}")
        listed = detail.get("corrections")
        if isinstance(listed, list) and not any(c.get("annotator") in recorded_as and str(c.get("seq")) == str(seq) for c in listed):
            raise Failure(f"GET /images/{image_id} lists no correction seq {seq} by {annotator}: {listed}")

        saved, _ = api(f"/images/{image_id}/correction.png", raw=True)
        w, h, mask = png_decode(saved)
        if (w, h) != (width, height):
            raise Failure(f"saved mask is {w}x{h}, image {width}x{height}")
        odd = sum(1 for value in mask if value not in (0, 255))
        if odd:
            raise Failure(f"{odd} pixels of the saved mask are neither 0 nor 255")
        changed = {(i % width, i // width) for i in range(width * height) if (mask[i] >= 128) != (baseline[i] >= 128)}
        if not changed:
            raise Failure("the saved correction equals what the page started from: the stroke changed nothing")
        outside = changed - allowed
        if outside:
            raise Failure(f"{len(outside)} changed pixels lie outside the stroke's footprint, e.g. {sorted(outside)[:10]}; "
                          f"stroke {seen[0]} -> {seen[-1]}, radius {radius}")
        missed = [(i, j) for (i, j) in core if mask[j * width + i] < 128]
        if missed:
            raise Failure(f"{len(missed)} pixels at the stroke's centre are not vessel, e.g. {missed[:10]}")

        if LAB:
            mask_sha = event["payload"].get("mask")
            found = any(mask_sha and mask_sha in name for _, _, names in os.walk(os.path.join(LAB, "objects")) for name in names)
            if not found:
                raise Failure(f"mask {mask_sha} of the correction is not in {LAB}/objects")
        # Ordinary use (sign in, open, paint, save) leaves the console clean: no failed request, no error.
        errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        if errors:
            raise Failure(f"the console logged {len(errors)} errors on ordinary use: {errors[:5]}")
        print(f"ok: {top['name']} corrected by {annotator} (seq {seq}), {len(changed)} pixels changed within a "
              f"{len(allowed)}-pixel footprint; screenshot {SCREENSHOT}")
    finally:
        driver.quit()


if __name__ == "__main__":
    try:
        test_page()
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
