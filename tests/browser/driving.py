"""Driving Debian's chromium with selenium (its own chromedriver, never a download), the
steps every walk shares, and axe-core (axe-selenium-python) on the page at hand."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.live import Live

SERIOUS = {"serious", "critical"}
CODE = re.compile(r"\b([0-9]{6})\b")


def chromium(downloads: Path, width: int = 1280, height: int = 900) -> WebDriver:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:  # never a skip: make test installs them
        raise RuntimeError("no chromium with its chromedriver: scripts/ensure-chromium.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--lang=en-US")
    downloads.mkdir(parents=True, exist_ok=True)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    return webdriver.Chrome(service=Service(driver), options=options)


def go(driver: WebDriver, element: WebElement) -> None:
    """Click `element` (a link or a submit button) and wait for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(lambda _: replaced(page))


def replaced(page: WebElement) -> bool:
    """Whether the page `page` is the root of has been replaced. Caught mid-navigation,
    chromedriver may answer "Node ... does not belong to the document" (an unknown error,
    not a stale reference: `staleness_of` let it through, a failure seen under load)."""
    try:
        page.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def submit(driver: WebDriver, css: str = "main form button[type=submit]") -> None:
    go(driver, driver.find_element(By.CSS_SELECTOR, css))


def signed_out(driver: WebDriver, live: Live) -> None:
    driver.get(f"{live.base}/")
    driver.delete_all_cookies()


def sign_in_with_token(driver: WebDriver, live: Live, token: str) -> None:
    signed_out(driver, live)
    driver.get(f"{live.base}/signin")
    driver.find_element(By.ID, "token").send_keys(token)
    submit(driver, "form[action='/signin/token'] button")


def sign_in_with_code(driver: WebDriver, live: Live, case: str) -> None:
    form = live.forms[case]
    signed_out(driver, live)
    driver.get(f"{live.base}/signin")
    driver.find_element(By.ID, "iin").send_keys(form.applicant_iin)
    before = codes(live, form.phone)
    submit(driver, "form[action='/signin/code'] button")
    # The delivery worker beside the service takes it from the outbox to the gateway's sink.
    WebDriverWait(driver, 30, 0.1).until(lambda _: len(codes(live, form.phone)) > len(before))
    code = codes(live, form.phone)[-1]
    driver.find_element(By.ID, "code").send_keys(code)
    submit(driver, "form[action='/signin/verify'] button")


def codes(live: Live, phone: str) -> list[str]:
    """The sign-in codes the local SMS gateway took for `phone` (not the acts' notices)."""
    return [m.group(1) for t in live.sms_to(phone) if (m := CODE.search(t)) and "Kezek" in t]


def serious_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page at hand."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results: dict[str, Any] = axe.run()
    return [v for v in results["violations"] if v.get("impact") in SERIOUS]


def text(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "main").text)
