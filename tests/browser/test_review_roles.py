"""Review and roles in a real browser, against a running `loupe run` (issue 25, items 4-6).

One Chromium per feature: the queue filters, the name search, skip and flag with a reason, a
comment, two annotators side by side, a reviewer's accept and send back, the operator's buttons
(shown to operators only), sign-in with a login code, panels that resize, a list that does not
move under the pointer, and a console without errors through ordinary use. Each checks what
the page shows against what the API answers, and what a click recorded through the API.

scripts/browser-lab.sh makes the lab these need (annotators tester and bob, who both corrected
im2; reviewer rev; operator lead) and passes, besides test_page.py's variables:
  LOUPE_BOB_TOKEN, LOUPE_REVIEWER_TOKEN, LOUPE_REVIEWER_CODE (a login code of rev), LOUPE_OPERATOR_TOKEN
  LOUPE_SCREENSHOTS  where the review list and side-by-side screenshots go (default docs/screenshots)

Helpers (the driver, waits, screenshots, PNG decoding) are test_page.py's, imported.
"""
import json
import os
import time
import urllib.error
import urllib.request

from test_page import Failure, URL, TOKEN, ROOT, WAIT, make_driver, png_decode, screenshot, wait_for

BOB = os.environ.get("LOUPE_BOB_TOKEN", "")
REVIEWER = os.environ.get("LOUPE_REVIEWER_TOKEN", "")
REVIEWER_CODE = os.environ.get("LOUPE_REVIEWER_CODE", "")
OPERATOR = os.environ.get("LOUPE_OPERATOR_TOKEN", "")
SHOTS = os.environ.get("LOUPE_SCREENSHOTS", os.path.join(ROOT, "docs", "screenshots"))


def need(value, name):
    if not value:
        raise Failure(f"set {name} (scripts/browser-lab.sh does): this test needs that person")
    return value


def call(path, token, method="GET", body=None, raw=False):
    """The API as `token`'s owner; returns (status, JSON or bytes)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + "/api/v1" + path, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            payload = response.read()
            return response.status, payload if raw else (json.loads(payload) if payload else None)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def ok(path, token, method="GET", body=None, raw=False):
    status, answer = call(path, token, method, body, raw)
    if status >= 300:
        raise Failure(f"{method} {path} -> {status}: {answer}")
    return answer


def names(path, token):
    return [item["name"] for item in ok(path, token)["items"]]


# ---- the page ---------------------------------------------------------------------------------

def start(token):
    """A browser signed in with `token` (set where the page keeps it), the page ready."""
    driver = make_driver()
    driver.get(URL + "/")
    if token:
        driver.execute_script("localStorage.setItem('loupe.token', arguments[0])", token)
        driver.get(URL + "/")
    wait_for(driver, "the page to start", lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    return driver


def data(driver, key):
    return driver.execute_script("return document.body.dataset[arguments[0]] || ''", key)


def rows(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#queue tbody tr')].map(r => [r.dataset.id, r.cells[0].textContent])")


def row_names(driver):
    return [name for _, name in rows(driver)]


def choose(driver, filter_name):
    driver.find_element("css selector", f"[data-filter='{filter_name}']").click()
    wait_for(driver, f"the {filter_name} filter", lambda d: data(d, "filter") == filter_name)


def open_image(driver, image_id):
    driver.execute_script("location.hash = arguments[0]", image_id)
    wait_for(driver, f"image {image_id[:12]} to open", lambda d: data(d, "openImage") == image_id)
    wait_for(driver, "its review panel", lambda d: d.find_element("id", "review-panel").is_displayed())


def click(driver, what, selector):
    """Clicks the element once it is there, again if a re-render replaced it before the click."""
    wait_for(driver, what, lambda d: d.find_element("css selector", selector).click() or True)


def errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def finish(driver, *tokens_and_images):
    """Leaves the page (its claims released), checks the console, quits."""
    try:
        for token, image in tokens_and_images:
            call(f"/images/{image}/claim", token, method="DELETE")
        logged = errors(driver)
        if logged:
            raise Failure(f"the console logged {len(logged)} errors: {logged[:5]}")
    finally:
        driver.quit()


def image_id(name):
    return ok(f"/images/{name.split('.')[0]}", TOKEN)["id"]


# ---- the tests --------------------------------------------------------------------------------

def test_queue_filters_show_what_the_api_lists():
    driver = start(TOKEN)
    try:
        expected = {
            "todo": names("/queue?limit=500", TOKEN),
            "mine": names("/images?by=me&limit=1000", TOKEN),
            "corrected": names("/images?state=corrected&limit=1000", TOKEN),
            "flagged": names("/images?state=flagged&limit=1000", TOKEN),
            "skipped": names("/images?state=skipped&limit=1000", TOKEN),
        }
        if "im2.png" not in expected["mine"] or "im2.png" not in expected["corrected"]:
            raise Failure(f"tester corrected im2 (browser-lab.sh): {expected}")
        for name in ["mine", "flagged", "skipped", "todo", "corrected"]:
            choose(driver, name)
            wait_for(driver, f"the {name} list {expected[name]}", lambda d, n=name: row_names(d) == expected[n])
        # The review list as an expert sees it: corrected images, one of them open for review.
        target = image_id("im2")
        driver.find_element("css selector", f"#queue tbody tr[data-id='{target}']").click()
        wait_for(driver, "im2 open with its review", lambda d: data(d, "openImage") == target and data(d, "reviewStatus") != "")
        time.sleep(0.3)
        screenshot(driver, os.path.join(SHOTS, "review-list.png"))
    finally:
        finish(driver, (TOKEN, image_id("im2")))


def test_search_by_name():
    driver = start(TOKEN)
    try:
        choose(driver, "corrected")
        field = driver.find_element("id", "queue-search")
        field.send_keys("IM2")
        expected = names("/images?state=corrected&q=IM2", TOKEN)
        if expected != ["im2.png"]:
            raise Failure(f"the API finds {expected} for q=IM2")
        wait_for(driver, "only im2 in the list", lambda d: row_names(d) == ["im2.png"])
        field.clear()
        field.send_keys("nothing-like-this")
        wait_for(driver, "an empty list and its note", lambda d: row_names(d) == [] and d.find_element("id", "queue-empty").is_displayed())
    finally:
        finish(driver)


def test_skip_and_flag_with_a_reason_then_restore():
    todo = ok("/queue?limit=500", TOKEN)["items"]
    target = todo[-1]
    driver = start(TOKEN)
    try:
        open_image(driver, target["id"])
        driver.find_element("id", "skip-image").click()
        wait_for(driver, "a request for a reason", lambda d: "reason" in d.find_element("id", "notice").text)
        if ok(f"/images/{target['id']}", TOKEN).get("setAside"):
            raise Failure("skipped without a reason")
        driver.find_element("id", "review-reason").send_keys("needs the second photograph")
        driver.find_element("id", "skip-image").click()
        wait_for(driver, "the API to list it as skipped", lambda d: ok(f"/images/{target['id']}", TOKEN).get("status") == "skipped")
        detail = ok(f"/images/{target['id']}", TOKEN)
        if detail["setAside"] != {"kind": "skipped", "reason": "needs the second photograph", "by": "tester"}:
            raise Failure(f"recorded {detail['setAside']}")
        wait_for(driver, "the panel to say skipped", lambda d: data(d, "reviewStatus") == "skipped"
                 and "needs the second photograph" in d.find_element("id", "review-status").text)
        wait_for(driver, "it to leave the to-do list", lambda d: target["id"] not in [i for i, _ in rows(d)])
        choose(driver, "skipped")
        wait_for(driver, "it in the skipped list", lambda d: target["id"] in [i for i, _ in rows(d)])

        driver.find_element("id", "review-reason").send_keys("blurred")
        driver.find_element("id", "flag-image").click()
        wait_for(driver, "the API to list it as flagged", lambda d: ok(f"/images/{target['id']}", TOKEN).get("status") == "flagged")
        choose(driver, "flagged")
        wait_for(driver, "it in the flagged list", lambda d: target["id"] in [i for i, _ in rows(d)])
        driver.find_element("id", "restore-image").click()
        wait_for(driver, "the API to list it to do again", lambda d: ok(f"/images/{target['id']}", TOKEN).get("status") == "todo")
        history = [e["type"] for e in ok(f"/images/{target['id']}/history", TOKEN)["events"]]
        if history[-3:] != ["ImageSkipped", "ImageFlagged", "ImageRestored"]:
            raise Failure(f"history ends {history[-3:]}")
    finally:
        finish(driver, (TOKEN, target["id"]))


def test_comment_on_an_image():
    target = image_id("im1")
    driver = start(TOKEN)
    try:
        open_image(driver, target)
        text = f"faint nasal arcade {time.time():.0f}"
        driver.find_element("id", "comment-text").send_keys(text)
        driver.find_element("css selector", "#comment-form button[type=submit]").click()
        wait_for(driver, "the API to keep the comment",
                 lambda d: any(c["text"] == text and c["by"] == "tester" for c in ok(f"/images/{target}", TOKEN)["comments"]))
        wait_for(driver, "the page to show it", lambda d: text in d.find_element("id", "comments").text)
        if driver.find_element("id", "comment-text").get_attribute("value"):
            raise Failure("the comment box was not emptied")
    finally:
        finish(driver, (TOKEN, target))


def test_two_annotators_side_by_side():
    target = image_id("im2")
    detail = ok(f"/images/{target}", TOKEN)
    if [c.get("annotator") for c in detail["corrections"]][-2:] != ["tester", "bob"]:
        raise Failure(f"browser-lab.sh has tester then bob correct im2: {[c.get('annotator') for c in detail['corrections']]}")
    _, _, a = png_decode(ok(f"/images/{target}/correction.png?annotator=tester", TOKEN, raw=True))
    _, _, b = png_decode(ok(f"/images/{target}/correction.png?annotator=bob", TOKEN, raw=True))
    both = sum(1 for x, y in zip(a, b) if x >= 128 and y >= 128)
    only_a = sum(1 for x, y in zip(a, b) if x >= 128 > y)
    only_b = sum(1 for x, y in zip(a, b) if y >= 128 > x)
    if not only_a or not only_b:
        raise Failure("the two masks do not differ: nothing to highlight")
    driver = start(TOKEN)
    try:
        open_image(driver, target)
        driver.find_element("id", "compare-open").click()
        wait_for(driver, "the comparison of tester and bob", lambda d: data(d, "compare") == "tester|bob")
        shown = driver.execute_script("return window.loupeCompare")
        if (shown["both"], shown["onlyA"], shown["onlyB"]) != (both, only_a, only_b):
            raise Failure(f"page counts {shown}, the masks give both {both}, only tester {only_a}, only bob {only_b}")
        dice = 2 * both / (2 * both + only_a + only_b)
        if abs(shown["dice"] - dice) > 1e-9 or f"{dice:.2f}" not in driver.find_element("id", "compare-summary").text:
            raise Failure(f"agreement {shown['dice']} shown, {dice} expected")
        # The left canvas shows tester's mask: a pixel only tester marked is orange there.
        index = next(i for i, (x, y) in enumerate(zip(a, b)) if x >= 128 > y)
        width = driver.execute_script("return document.getElementById('compare-a').width")
        pixel = driver.execute_script(
            "return [...document.getElementById('compare-a').getContext('2d').getImageData(arguments[0], arguments[1], 1, 1).data]",
            index % width, index // width)
        if not (pixel[0] > 200 and pixel[2] < 90):
            raise Failure(f"a pixel only tester marked is {pixel} on the left, not orange")
        time.sleep(0.3)
        screenshot(driver, os.path.join(SHOTS, "side-by-side.png"))
        driver.find_element("id", "compare-close").click()
        wait_for(driver, "the comparison to close", lambda d: not d.find_element("id", "compare").is_displayed())
    finally:
        finish(driver, (TOKEN, target))


def test_reviewer_sends_back_and_accepts():
    reviewer = need(REVIEWER, "LOUPE_REVIEWER_TOKEN")
    target = image_id("im2")
    annotator = start(TOKEN)
    try:
        open_image(annotator, target)
        if annotator.find_element("id", "reviewer-actions").is_displayed():
            raise Failure("an annotator is offered a reviewer's buttons")
    finally:
        finish(annotator, (TOKEN, target))
    driver = start(reviewer)
    try:
        open_image(driver, target)
        wait_for(driver, "the reviewer's buttons", lambda d: d.find_element("id", "reviewer-actions").is_displayed())
        # Another person's list says who holds the image and until when, in their local time.
        expires = next(i for i in ok("/images?state=corrected", TOKEN)["items"] if i["id"] == target)["claimExpiresAt"]
        other = start(TOKEN)
        try:
            choose(other, "corrected")
            local = other.execute_script(
                "return new Date(arguments[0]).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})", expires)
            wait_for(other, f"'claimed by rev until {local}' on im2's row", lambda d: d.find_element(
                "css selector", f"#queue tbody tr[data-id='{target}']").text.endswith(f"claimed by rev until {local}"))
        finally:
            finish(other)
        driver.find_element("id", "review-note").send_keys("two capillaries missed below the disc")
        driver.find_element("id", "send-back").click()
        # The reviewer's own queue: the image is claimed by them, so others' queues leave it out.
        wait_for(driver, "the API to put it first on the to-do list",
                 lambda d: ok("/queue", reviewer)["items"][0]["id"] == target)
        review = ok("/queue", reviewer)["items"][0]["review"]
        if review != {"verdict": "sent_back", "annotator": "bob", "by": "rev", "note": "two capillaries missed below the disc"}:
            raise Failure(f"recorded {review}")
        wait_for(driver, "the panel to say sent back", lambda d: "Sent back" in d.find_element("id", "review-status").text)
        driver.find_element("id", "accept-correction").click()
        wait_for(driver, "the API to list it corrected and accepted",
                 lambda d: (ok(f"/images/{target}", TOKEN).get("review") or {}).get("verdict") == "accepted")
        wait_for(driver, "the panel to say accepted", lambda d: "Accepted" in d.find_element("id", "review-status").text)
    finally:
        finish(driver, (reviewer, target))


def test_operator_buttons_only_for_operators():
    operator = need(OPERATOR, "LOUPE_OPERATOR_TOKEN")
    controls = ["train-now", "pause-training", "model-controls"]
    for token, role in [(TOKEN, "annotator"), (need(REVIEWER, "LOUPE_REVIEWER_TOKEN"), "reviewer")]:
        driver = start(token)
        try:
            wait_for(driver, f"the {role}'s session", lambda d, r=role: data(d, "role") == r)
            shown = [c for c in controls if driver.find_element("id", c).is_displayed()]
            if shown:
                raise Failure(f"a {role} sees {shown}")
        finally:
            finish(driver)
    driver = start(operator)
    try:
        wait_for(driver, "the operator's buttons", lambda d: all(d.find_element("id", c).is_displayed() for c in controls))
        driver.find_element("id", "pause-training").click()
        wait_for(driver, "training paused", lambda d: ok("/status", TOKEN)["paused"] is True)
        wait_for(driver, "the button to offer resuming", lambda d: d.find_element("id", "pause-training").text == "Resume training")
        driver.find_element("id", "pause-training").click()
        wait_for(driver, "training resumed", lambda d: ok("/status", TOKEN)["paused"] is False)
        serving = ok("/status", TOKEN)["currentModel"]["sha"]
        click(driver, "the Pin button of the model in use", f"#model-controls li[data-model='{serving}'] [data-action=pin]")
        wait_for(driver, "the model pinned", lambda d: ok("/status", TOKEN).get("pinnedModel") == serving)
        click(driver, "the Unpin button", "#model-controls [data-action=unpin]")
        wait_for(driver, "the pin lifted", lambda d: ok("/status", TOKEN).get("pinnedModel") is None)
    finally:
        finish(driver)


def test_sign_in_with_a_login_code():
    code = need(REVIEWER_CODE, "LOUPE_REVIEWER_CODE")
    driver = start("")
    try:
        wait_for(driver, "the sign-in form", lambda d: d.find_element("id", "login-name").is_displayed())
        if driver.find_element("id", "queue").find_elements("css selector", "tbody tr"):
            raise Failure("the queue shows before signing in")
        driver.find_element("id", "login-name").send_keys("rev")
        driver.find_element("id", "token").send_keys(code.lower())
        driver.find_element("id", "sign-in").click()
        wait_for(driver, "signed in as rev", lambda d: data(d, "annotator") == "rev" and data(d, "role") == "reviewer")
        session = driver.execute_script("return localStorage.getItem('loupe.token')")
        if not session or session == REVIEWER or len(session) != 64:
            raise Failure(f"the page keeps {session!r}, not a new session token")
        status, _ = call("/session", session)
        if status != 200 or ok("/session", session)["annotator"] != "rev":
            raise Failure("the session token does not name rev")
        if driver.find_element("id", "token").get_attribute("value"):
            raise Failure("the code stays in its box")
        wait_for(driver, "the list after signing in", lambda d: len(rows(d)) > 0)
        status, answer = call("/login", "", method="POST", body={"name": "rev", "code": code})
        if status != 401:
            raise Failure(f"a used code answered {status}: {answer}")
    finally:
        finish(driver)


def test_panels_resize_and_keep_their_width():
    driver = start(TOKEN)
    try:
        from selenium.webdriver.common.action_chains import ActionChains
        left = driver.find_element("id", "left")
        before = left.size["width"]
        handle = driver.find_element("css selector", ".resizer[data-side=left]")
        ActionChains(driver).click_and_hold(handle).move_by_offset(120, 0).release().perform()
        wait_for(driver, "the left panel 120 px wider", lambda d: abs(d.find_element("id", "left").size["width"] - before - 120) <= 3)
        right = driver.find_element("id", "right").size["width"]
        handle = driver.find_element("css selector", ".resizer[data-side=right]")
        ActionChains(driver).click_and_hold(handle).move_by_offset(-60, 0).release().perform()
        wait_for(driver, "the right panel 60 px wider", lambda d: abs(d.find_element("id", "right").size["width"] - right - 60) <= 3)
        widths = (driver.find_element("id", "left").size["width"], driver.find_element("id", "right").size["width"])
        driver.refresh()
        wait_for(driver, "the page to start again", lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
        again = (driver.find_element("id", "left").size["width"], driver.find_element("id", "right").size["width"])
        if again != widths:
            raise Failure(f"after a reload the panels are {again}, not {widths}")
    finally:
        driver.execute_script("localStorage.removeItem('loupe.panel.left'); localStorage.removeItem('loupe.panel.right')")
        finish(driver)


def test_the_list_does_not_move_under_the_pointer():
    reviewer = need(REVIEWER, "LOUPE_REVIEWER_TOKEN")
    target = image_id("im1")
    driver = start(TOKEN)
    try:
        wait_for(driver, "the to-do list", lambda d: len(rows(d)) >= 1)
        before = rows(driver)
        if target in [i for i, _ in before]:
            raise Failure("im1 (corrected) is on the to-do list already")
        from selenium.webdriver.common.action_chains import ActionChains
        under = driver.find_element("css selector", f"#queue tbody tr[data-id='{before[0][0]}']")
        ActionChains(driver).move_to_element(under).perform()
        # A sent-back image heads the server's to-do list: a new order the page must not apply
        # by itself (a promotion's re-ordering takes the same path).
        ok(f"/images/{target}/review", reviewer, method="POST", body={"verdict": "send_back", "note": "check the arcade"})
        if ok("/queue", TOKEN)["items"][0]["id"] != target:
            raise Failure("the server does not list the sent-back image first")
        wait_for(driver, "the sent-back image to join the list", lambda d: target in [i for i, _ in rows(d)])
        after = rows(driver)
        if after[:len(before)] != before or after[-1][0] != target:
            raise Failure(f"the rows moved: {[n for _, n in before]} -> {[n for _, n in after]}")
        if not driver.find_element("id", "queue-reorder").is_displayed():
            raise Failure("the page does not offer the new order")
        driver.find_element("id", "queue-reorder-apply").click()
        wait_for(driver, "the new order on request", lambda d: rows(d)[0][0] == target)
    finally:
        ok(f"/images/{target}/review", reviewer, method="POST", body={"verdict": "accept"})
        finish(driver)


def test_console_stays_clean_through_ordinary_use():
    target = image_id("im2")
    opened = []
    driver = start(TOKEN)
    try:
        for name in ["mine", "corrected", "flagged", "skipped", "todo"]:
            choose(driver, name)
        driver.find_element("id", "queue-search").send_keys("im")
        wait_for(driver, "a search's answer", lambda d: data(d, "search") == "im")
        first = wait_for(driver, "a row", lambda d: d.find_element("css selector", "#queue tbody tr"))
        opened.append(first.get_attribute("data-id"))
        first.click()
        wait_for(driver, "the image to open", lambda d: data(d, "openImage") == opened[0])
        open_image(driver, target)
        opened.append(target)
        driver.find_element("id", "compare-open").click()
        wait_for(driver, "the comparison", lambda d: data(d, "compare") != "")
        driver.find_element("id", "compare-close").click()
        driver.find_element("id", "help-button").click()
        driver.find_element("id", "help-close").click()
        time.sleep(0.5)
    finally:
        finish(driver, *[(TOKEN, image) for image in opened])
