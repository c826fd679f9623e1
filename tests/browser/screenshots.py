"""`make screenshots`: a PNG of each page, at a desktop's width and at a phone's (360 px),
from a live service with the browser tests' cases in it (tests/browser/live.py).

    python -m tests.browser.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.driving import chromium, sign_in_with_code, sign_in_with_token
from tests.browser.live import COURT, HEAD, OFFICER, QUALITY_BODY, Live, live_service

WIDTHS = {"desktop": 1280, "phone": 360}


def shoot(driver: WebDriver, folder: Path, name: str, width: int, label: str) -> None:
    """The whole page's height, at `width`."""
    driver.set_window_size(width, 800)
    height = driver.find_element(By.TAG_NAME, "body").size["height"]
    driver.set_window_size(width, min(max(height + 120, 600), 4000))
    driver.save_screenshot(str(folder / f"{name}-{label}.png"))


def pages(live: Live) -> list[tuple[str, str | None, str]]:
    """(name, who signs in, path), in the order a newcomer meets them."""
    incomplete, submitted = live.cases["incomplete"], live.cases["submitted"]
    return [
        ("home", None, "/"),
        ("queue", None, "/queues/almaty/socially_vulnerable"),
        ("signin", None, "/signin"),
        ("verify", None, "/verify"),
        ("docs", None, "/docs"),
        ("me", "applicant", "/me"),
        ("correct", "applicant", f"/cases/{incomplete}/acts/correct"),
        ("work", "officer", "/work"),
        ("accept", "officer", f"/cases/{submitted}/acts/accept"),
        ("sign", "head", "/sign"),
        ("case", "head", f"/cases/{incomplete}"),
        ("complaints", "body", "/complaints"),
        ("court-case", "court", f"/cases/{live.cases['registered-3']}"),
    ]


def sign_in(driver: WebDriver, live: Live, who: str | None) -> None:
    tokens = {"officer": OFFICER, "head": HEAD, "body": QUALITY_BODY, "court": COURT}
    if who == "applicant":
        sign_in_with_code(driver, live, "incomplete")
    elif who is not None:
        sign_in_with_token(driver, live, live.token(tokens[who]))


def main(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, live_service(Path(scratch)) as live:
        driver = chromium(live.downloads)
        try:
            signed: str | None = "nobody"
            for name, who, path in pages(live):
                if who != signed:
                    sign_in(driver, live, who)
                    signed = who
                driver.get(f"{live.base}{path}")
                for label, width in WIDTHS.items():
                    shoot(driver, folder, name, width, label)
                print(f"{name}: {path}")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
