#!/usr/bin/env python3
"""How long the contrast-enhanced view (CLAHE, clahe.js) takes on the 700x605 STARE image, in
the page: each of RUNS page loads (default 5), V twice (colour -> green -> enhanced), then the
page's own timing (window.loupeLook.enhanceMs: the first enhancement of that image, cold).

Usage: bench/page/page-lab.sh HEAD clahe-time.py [RUNS]   (calls clahe-time.py PAGE_URL OUT_DIR [RUNS])
"""
import json
import os
import statistics
import sys

from selenium.webdriver.common.action_chains import ActionChains

from pagedriver import browser, open_image, until, upload


def main():
    url, folder = sys.argv[1].rstrip("/"), sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    sha = upload(url, folder)
    driver = browser()
    times = []
    try:
        for _ in range(runs):
            open_image(driver, url, sha)
            ActionChains(driver).send_keys("vv").perform()
            until("the enhanced view", lambda: driver.execute_script("return window.loupeLook.enhanceMs != null"))
            times.append(round(driver.execute_script("return window.loupeLook.enhanceMs"), 1))
            driver.get("about:blank")
    finally:
        driver.quit()
    result = {"claheMs": times, "median": statistics.median(times), "max": max(times)}
    print(json.dumps(result))
    with open(os.path.join(folder, "clahe.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
