#!/usr/bin/env python3
"""Screenshots of the page on STARE im0240 for docs/page.md: each view mode, and the outline and
changes overlays after two fixes (one missed vessel drawn with the polyline, one false piece
deleted with a click), at 1024x700.

Usage: bench/page/page-lab.sh HEAD screenshots.py DIR   (calls screenshots.py PAGE_URL FIXES_DIR DIR)
"""
import json
import os
import sys
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from pagedriver import browser, open_image, upload


def main():
    url, folder, out = sys.argv[1].rstrip("/"), sys.argv[2], os.path.abspath(sys.argv[3])
    fixes = json.load(open(os.path.join(folder, "fixes.json")))["fixes"]
    sha = upload(url, folder)
    driver = browser(1024, 700)

    def shot(name):
        time.sleep(0.3)
        driver.save_screenshot(os.path.join(out, f"stare-{name}.png"))

    def click(x, y):
        v = driver.execute_script("return Object.assign({}, window.loupeView)")
        actions = ActionChains(driver, duration=10)
        actions.w3c_actions.pointer_action.move_to_location(
            round(v["canvasLeft"] + v["offsetX"] + x * v["scale"]), round(v["canvasTop"] + v["offsetY"] + y * v["scale"])).click()
        actions.perform()

    try:
        open_image(driver, url, sha)
        for mode in ("colour", "green", "enhanced"):
            shot(f"view-{mode}")
            ActionChains(driver).send_keys("v").perform()
        missed, false = fixes[0], fixes[3]
        ActionChains(driver).send_keys("l").perform()
        for x, y in missed["centreline"][::12] + [missed["centreline"][-1]]:
            click(x + 0.5, y + 0.5)
        ActionChains(driver).send_keys(Keys.ENTER, "d").perform()
        x, y = false["pixels"][len(false["pixels"]) // 2]
        click(x + 0.5, y + 0.5)
        ActionChains(driver).send_keys("o").perform()
        shot("overlay-outline")
        ActionChains(driver).send_keys("o").perform()
        shot("overlay-changes")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
