#!/usr/bin/env python3
"""The mothers' offline app in a real browser (headless Chromium).

Usage: offline.py BASE_URL INVITATION_CODE

Joins with the code (choosing a password), opens the conversation form
once with a signal (the service worker keeps her pages), then goes
offline, saves three contacts (each queued on the phone, shown as
waiting), comes back online and waits until the queue is empty. The
calling test then checks that exactly three visits were stored.
Exits 0 when the queue emptied, 1 otherwise (with what it saw).
"""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE, CODE = sys.argv[1], sys.argv[2]
PASSWORD = "Fenster-Kiez-Brunnen-77"


def browser():
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=360,900"):
        o.add_argument(a)
    for path in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"):
        try:
            return webdriver.Chrome(service=Service(path), options=o)
        except Exception:  # noqa: BLE001 - try the next place
            continue
    return webdriver.Chrome(options=o)


def until(check, what, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def network(d, offline):
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def main():
    d = browser()
    try:
        d.get(f"{BASE}/join/{CODE}")
        d.find_element(By.ID, "new").send_keys(PASSWORD)
        d.find_element(By.ID, "confirm").send_keys(PASSWORD)
        d.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
        until(lambda: d.current_url.endswith("/my"), "her page after joining")
        d.get(f"{BASE}/my/contact")
        # The service worker is installed; once it controls the page, the
        # page is kept on the phone.
        d.set_script_timeout(20)
        d.execute_async_script(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true));"
        )
        d.refresh()
        until(
            lambda: d.execute_script("return !!navigator.serviceWorker.controller"),
            "the service worker to control the page",
        )
        network(d, True)
        # Without a signal the form still opens (from the phone).
        d.get(f"{BASE}/my/contact")
        if not d.find_elements(By.CSS_SELECTOR, "form.contact"):
            print("the form did not open without a signal")
            return 1
        for day in ("2024-05-06", "2024-05-07", "2024-05-08"):
            date = d.find_element(By.ID, "visited_on")
            d.execute_script("arguments[0].value = arguments[1]", date, day)
            topic = d.find_elements(By.CSS_SELECTOR, "fieldset#topic_ids input")[0]
            d.execute_script("arguments[0].checked = true", topic)
            d.execute_script(
                "arguments[0].requestSubmit()", d.find_element(By.CSS_SELECTOR, "form.contact")
            )
            until(
                lambda: d.find_element(By.ID, "saved-offline").is_displayed(),
                "the note that it waits on the phone",
            )
        waiting = d.execute_script("return JSON.parse(localStorage.getItem('nm-outbox')).length")
        if waiting != 3:
            print(f"queued {waiting}, not 3")
            return 1
        shown = len(d.find_elements(By.CSS_SELECTOR, "#outbox li"))
        if shown != 3:
            print(f"shown as waiting: {shown}, not 3")
            return 1
        network(d, False)
        d.execute_script("window.dispatchEvent(new Event('online'))")
        until(
            lambda: d.execute_script("return JSON.parse(localStorage.getItem('nm-outbox') || '[]').length") == 0,
            "the queue to empty",
            30,
        )
        return 0
    finally:
        d.quit()


if __name__ == "__main__":
    sys.exit(main())
