#!/usr/bin/env python3
"""Actions per fix: a scripted expert fixes the three missed and three false vessels of
start-mask.py's mask in a real page, counting every input, then checks the saved mask.

Usage: bench/page/page-lab.sh REV actions.py PLAN   (PLAN: before | after), which calls
       bench/page/actions.py PAGE_URL FIXES_DIR PLAN
  PAGE_URL   the page (serve-static.py in front of a `loupe run`), an open loopback lab
  FIXES_DIR  start-mask.py's output (start.png, fixes.json); the image comes from STARE_DIR
Prints one JSON line per fix and writes FIXES_DIR/PLAN.json.

An action is one key press, one click, one drag (press, move, release) or one wheel notch.
Each fix starts from the fitted view with another tool in hand, so its tool key counts.
  before (main's tools): a missed vessel is drawn with the polyline: zoom to at least 200% with
    the wheel at the vessel (a one- or two-pixel vessel needs it to place points on it), L, the
    brush-size keys from 5 to the vessel's width, one click per vertex of its centreline
    (Douglas-Peucker, 1 px tolerance), Enter, F back to the fitted view. The size is the
    vessel's mean width rounded, plus one. A false piece is erased
    the same way: zoom, E, size keys to cover its width, one drag per branch, F.
  after (this branch): missed vessels as before (nothing here draws a vessel for you; the hint
    tool will); a false piece is D and one click on it, at the fitted view (a click within
    6 screen pixels of the piece takes it).
"""
import json
import math
import os
import sys
import time

import numpy as np
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.keys import Keys

from pagedriver import api, browser, open_image, save, upload
from pngio import read_png

WHEEL_NOTCH = 100            # Chromium's deltaY for one notch
ZOOM_PER_NOTCH = math.exp(WHEEL_NOTCH * 0.0015)  # the page's wheel zoom (tools.js)
PRECISE_SCALE = 2.0


class Expert:
    def __init__(self, driver):
        self.driver = driver
        self.counts = {}

    @property
    def count(self):
        return sum(self.counts.values())

    def counted(self, kind):
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def view(self):
        return self.driver.execute_script("return Object.assign({}, window.loupeView)")

    def at(self, x, y):
        v = self.view()
        return round(v["canvasLeft"] + v["offsetX"] + x * v["scale"]), round(v["canvasTop"] + v["offsetY"] + y * v["scale"])

    def key(self, *keys):
        self.counted("keys")
        ActionChains(self.driver).send_keys(*keys).perform()

    def click(self, x, y):
        self.counted("clicks")
        actions = ActionChains(self.driver, duration=10)
        actions.w3c_actions.pointer_action.move_to_location(*self.at(x, y)).click()
        actions.perform()
        time.sleep(0.05)

    def drag(self, points):
        self.counted("drags")
        actions = ActionChains(self.driver, duration=10)
        pointer = actions.w3c_actions.pointer_action
        screen = [self.at(x, y) for x, y in points]
        pointer.move_to_location(*screen[0])
        pointer.pointer_down()
        for p in screen[1:]:
            pointer.move_to_location(*p)
        pointer.pointer_up()
        actions.perform()

    def zoom_to(self, x, y, scale):
        """Wheel notches at (x, y) until the view is at least `scale`."""
        notches = max(0, math.ceil(math.log(scale / self.view()["scale"]) / math.log(ZOOM_PER_NOTCH) - 1e-9))
        vx, vy = self.at(x, y)
        for _ in range(notches):
            self.counted("wheel")
            ActionChains(self.driver).scroll_from_origin(ScrollOrigin.from_viewport(vx, vy), 0, -WHEEL_NOTCH).perform()
        time.sleep(0.1)
        if self.view()["scale"] < scale * 0.999:
            raise SystemExit(f"zoom reached {self.view()['scale']:.2f}, not {scale}")

    def size_keys(self, size):
        """[ and ] from the current brush size to `size` (the page's steps: 1 below 10, 2 above)."""
        current = self.view()["brushSize"]
        while current != size:
            key = "]" if size > current else "["
            self.key(key)
            new = self.view()["brushSize"]
            if new == current:
                raise SystemExit("the brush size did not change")
            if (key == "]" and new > size) or (key == "[" and new < size):
                break
            current = new


def simplify(points, tolerance):
    """Douglas-Peucker."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    dx, dy = bx - ax, by - ay
    norm = math.hypot(dx, dy) or 1.0
    distances = [abs(dy * (x - ax) - dx * (y - ay)) / norm for x, y in points]
    k = int(np.argmax(distances))
    if distances[k] <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[:k + 1], tolerance)[:-1] + simplify(points[k:], tolerance)


def branches(pixels):
    """Centreline drags that cover a piece: repeatedly the longest shortest-path between its
    not yet covered pixels (8-connected BFS), until every pixel lies within 2 px of a drag."""
    todo = {tuple(p) for p in pixels}
    pieces = []
    while todo:
        start = next(iter(todo))
        far = farthest(start, todo)[0]
        end, path = farthest(far, todo)
        pieces.append(path)
        todo = {p for p in todo if min((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 for q in path) > 4}
    return pieces


def farthest(start, allowed):
    prev, frontier, last = {start: None}, [start], start
    while frontier:
        nxt = []
        for x, y in frontier:
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (x + dx, y + dy)
                    if n in allowed and n not in prev:
                        prev[n] = (x, y)
                        nxt.append(n)
        if nxt:
            last = nxt[0]
        frontier = nxt
    path, p = [], last
    while p is not None:
        path.append(p)
        p = prev[p]
    return last, path[::-1]


def fix_missed(expert, fix):
    line = [(x + 0.5, y + 0.5) for x, y in fix["centreline"]]
    centre = line[len(line) // 2]
    expert.zoom_to(*centre, PRECISE_SCALE)
    expert.key("l")
    expert.size_keys(round(fix["width"]) + 1)  # a little wider than the mean: vessels widen at their ends
    for x, y in simplify(line, 1.0):
        expert.click(x, y)
    expert.key(Keys.ENTER)
    expert.key("f")


def fix_false_by_eraser(expert, fix):
    pixels = fix["pixels"]
    cx, cy = np.mean(pixels, axis=0)
    expert.zoom_to(cx + 0.5, cy + 0.5, PRECISE_SCALE)
    expert.key("e")
    expert.size_keys(7)  # covers a piece up to 5 px wide around a drag within 1 px of its centre
    for path in branches(pixels):
        expert.drag([(x + 0.5, y + 0.5) for x, y in path[::4] + [path[-1]]])
    expert.key("f")


def fix_false_by_click(expert, fix):
    pixels = np.array(fix["pixels"])
    centre = pixels.mean(axis=0)
    x, y = pixels[np.argmin(((pixels - centre) ** 2).sum(axis=1))]
    expert.key("d")
    expert.click(x + 0.5, y + 0.5)


def main():
    url, folder, plan = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    spec = json.load(open(os.path.join(folder, "fixes.json")))
    sha = upload(url, folder)
    driver = browser()
    try:
        open_image(driver, url, sha)
        expert = Expert(driver)
        expert.key("f")
        fit = expert.view()["scale"]
        results = []
        for fix in spec["fixes"]:
            driver.execute_script("document.getElementById('tool-brush').click()")
            expert.counts = {}
            if fix["kind"] == "missed":
                fix_missed(expert, fix)
            elif plan == "before":
                fix_false_by_eraser(expert, fix)
            else:
                fix_false_by_click(expert, fix)
            results.append({"kind": fix["kind"], "pixels": len(fix["pixels"]), "length": fix.get("length"),
                            "actions": expert.count, "by": expert.counts})
        save(driver)
    finally:
        driver.quit()

    saved = read_png(api(url, f"/images/{sha}/correction.png"))[:, :, 0] >= 128
    start = read_png(os.path.join(folder, "start.png"))[:, :, 0] >= 128
    changed = saved != start
    targets = np.zeros_like(start)
    for fix, result in zip(spec["fixes"], results):
        xs, ys = np.array(fix["pixels"]).T
        targets[ys, xs] = True
        result["fixed"] = round(float((saved[ys, xs] == (fix["kind"] == "missed")).mean()), 3)
    # Collateral: pixels changed more than 2 px away from every target (a vessel drawn a little
    # wide is the polyline's width, not collateral).
    near = targets.copy()
    for _ in range(2):
        p = np.pad(near, 1)
        near = near | p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:]
    summary = {"plan": plan, "fitScale": round(fit, 3), "fixes": results, "collateral": int((changed & ~near).sum())}
    for r in results:
        print(json.dumps(r))
    print(json.dumps({k: v for k, v in summary.items() if k != "fixes"}))
    with open(os.path.join(folder, f"{plan}.json"), "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
