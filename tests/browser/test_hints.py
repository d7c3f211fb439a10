"""The hint tool in a real browser, against a running `loupe run` whose model takes hints.

Opens the top of the queue, picks the hint tool (G), clicks on a vessel the model missed (the
synthetic images' vessels are known: make_images.vessel), and checks that the overlay changed
there, that Ctrl+Z takes the hint back and Ctrl+Y brings it again, and that the saved
correction records the click, the model that answered it and where its pixels came from.
Environment as for test_page.py; LOUPE_HINT_SCREENSHOT is where the page with the hint applied
is saved (default .build/browser-hint.png).

Run: scripts/browser-check.sh (all of tests/browser/)
"""
import os
import time

import make_images
import test_page as page

SCREENSHOT = os.environ.get("LOUPE_HINT_SCREENSHOT", os.path.join(page.ROOT, ".build", "browser-hint.png"))
CANVAS = "const c = document.getElementById('view'); return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);"


def canvas(driver):
    """The canvas's pixels with the pointer moved off it, so no tool cursor is drawn."""
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(driver).move_to_element(driver.find_element("id", "top")).perform()
    time.sleep(0.3)  # a frame
    return driver.execute_script(CANVAS)


def differing(a, b):
    return sum(1 for k in range(0, len(a), 4) if a[k:k + 3] != b[k:k + 3])


def missed_vessels(baseline, width, height, seed):
    """Vessel pixels of the synthetic image the mask shows as background, far from the edge,
    spread out: the nearest first to the image's centre."""
    found = [(x, y) for y in range(8, height - 8, 3) for x in range(8, width - 8, 3)
             if make_images.vessel(x, y, seed, width) and baseline[y * width + x] < 128]
    found.sort(key=lambda p: (p[0] - width / 2) ** 2 + (p[1] - height / 2) ** 2)
    spread = []
    for p in found:
        if all(abs(p[0] - q[0]) + abs(p[1] - q[1]) > 30 for q in spread):
            spread.append(p)
    return spread


def click(driver, point):
    """A left click at a viewport point, as a user's mouse would."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.mouse_button import MouseButton
    actions = ActionChains(driver, duration=50)
    pointer = actions.w3c_actions.pointer_action
    pointer.move_to_location(*point)
    pointer.pointer_down(MouseButton.LEFT)
    pointer.pointer_up(MouseButton.LEFT)
    actions.perform()


def keys(driver, *chord):
    from selenium.webdriver.common.action_chains import ActionChains
    actions = ActionChains(driver)
    for k in chord[:-1]:
        actions.key_down(k)
    actions.send_keys(chord[-1])
    for k in reversed(chord[:-1]):
        actions.key_up(k)
    actions.perform()


def test_hints():
    from selenium.webdriver.common.keys import Keys

    if not page.URL:
        raise page.Failure("set LOUPE_URL to a running `loupe run`")
    status = page.api("/status")
    if not status.get("hints"):
        raise page.Failure(f"the serving model takes no hints (status.hints is {status.get('hints')!r}): the lab needs model.guidance")
    model = status["currentModel"]["sha"]

    def current_model():
        return page.api("/status")["currentModel"]["sha"]

    top = page.api("/queue")["items"][0]
    image_id, name = top["id"], top["name"]
    seed = int(name[2:].split(".")[0])
    detail = page.api(f"/images/{image_id}")
    width, height = detail.get("image", detail)["width"], detail.get("image", detail)["height"]

    driver = page.make_driver()
    started = time.monotonic()
    try:
        driver.get(page.URL + "/")
        page.wait_for(driver, "the page to start", lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
        if page.TOKEN:
            driver.find_element("id", "token").send_keys(page.TOKEN)
            driver.find_element("id", "sign-in").click()
            page.wait_for(driver, "signing in", lambda d: d.execute_script("return document.body.dataset.annotator"))
        page.wait_for(driver, "the top of the queue", lambda d: d.find_element("css selector", f"#queue tbody tr[data-id='{image_id}']")).click()
        page.wait_for(driver, f"{name} to open", lambda d: d.execute_script("return document.body.dataset.openImage") == image_id)
        page.wait_for(driver, "the image to be claimed", lambda d: not d.find_element("id", "save").get_attribute("disabled"))
        page.wait_for(driver, "the hint tool to show (status.hints)", lambda d: d.find_element("id", "tool-hint").is_displayed())

        prediction, headers = page.api(f"/images/{image_id}/prediction.png", raw=True)
        page.wait_for(driver, "the page to show that prediction",
                      lambda d: d.execute_script("return document.body.dataset.maskModel") == headers.get("X-Loupe-Model"))
        _, _, baseline = page.png_decode(prediction)
        candidates = missed_vessels(baseline, width, height, seed)
        if not candidates:
            raise page.Failure(f"the model missed no vessel of {name}: nothing to hint")

        # The shortcut, with the focus on the image (as after a click there), not on the token field.
        driver.execute_script("document.getElementById('stage').focus()")
        keys(driver, "g")
        page.wait_for(driver, "the hint tool to be chosen (G)",
                      lambda d: d.find_element("id", "tool-hint").get_attribute("aria-pressed") == "true")
        before = canvas(driver)
        v = page.view(driver)
        clicked = None
        for point in candidates[:5]:
            click(driver, page.to_viewport(v, point[0] + 0.5, point[1] + 0.5))
            page.wait_for(driver, "the hint's answer", lambda d: not d.execute_script("return document.body.dataset.hinting"))
            if driver.execute_script("return document.body.dataset.hints") == "1":
                clicked = point
                break
        if not clicked:
            raise page.Failure(f"no hint on a missed vessel changed the mask (tried {candidates[:5]}); page says {page.page_notice(driver)!r}")
        hinted = canvas(driver)
        changed = differing(before, hinted)
        if not changed:
            raise page.Failure("the overlay did not change after the hint")
        page.screenshot(driver, SCREENSHOT)

        keys(driver, Keys.CONTROL, "z")
        if differing(before, canvas(driver)):
            raise page.Failure("Ctrl+Z did not take the hint back")
        keys(driver, Keys.CONTROL, "y")
        if differing(hinted, canvas(driver)):
            raise page.Failure("Ctrl+Y did not bring the hint back")

        driver.find_element("id", "save").click()
        seq = page.wait_for(driver, "the save", lambda d: d.execute_script("return document.body.dataset.lastSave"))
        event = next(e for e in page.api(f"/images/{image_id}/history")["events"] if str(e["seq"]) == str(seq))
        making = event["payload"].get("making") or {}
        if making.get("clicks") != [{"x": clicked[0], "y": clicked[1], "kind": "vessel"}]:
            raise page.Failure(f"the correction records clicks {making.get('clicks')}, not the one at {clicked}")
        # The lab trains on while the tests correct: a promotion may come between the status read
        # and the click, and the hint is then answered by the newer model.
        if making.get("hintModel") not in {model, current_model()} or not making.get("hintedMask"):
            raise page.Failure(f"the correction records hint model {making.get('hintModel')} and hinted mask {making.get('hintedMask')}")
        pixels = making.get("pixels") or {}
        if not pixels.get("hints") or pixels.get("hand") != 0 or sum(pixels.values()) != width * height:
            raise page.Failure(f"where the pixels came from: {pixels}; expected some from hints, none by hand")
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if errors:
            raise page.Failure(f"the console logged errors: {errors[:5]}")
        print(f"ok: a hint at {clicked} on {name} changed {changed} canvas pixels; saved as seq {seq} with "
              f"{pixels['hints']} pixels from hints; {time.monotonic() - started:.1f} s; screenshot {SCREENSHOT}")
    finally:
        driver.quit()
