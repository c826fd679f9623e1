"""The walks of the pages in a real browser (Debian's chromium, selenium) against a live
`kezek serve` on 127.0.0.1, one server for the module; axe-core on every page."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.driving import (
    chromium,
    go,
    serious_violations,
    sign_in_with_code,
    sign_in_with_token,
    submit,
    text,
)
from tests.browser.live import COURT, HEAD, HIGHER_BODY, OFFICER, QUALITY_BODY, Live, live_service


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_service(tmp_path_factory.mktemp("live")) as found:
        yield found


@pytest.fixture(scope="module")
def driver(live: Live) -> Iterator[WebDriver]:
    browser = chromium(live.downloads)
    try:
        yield browser
    finally:
        browser.quit()


def test_the_applicant_signs_in_with_the_sms_code_sees_her_place_and_corrects_the_package(
    driver: WebDriver, live: Live
) -> None:
    """§10, §11: told what the package lacks, she brings it through the form; the stage moves."""
    sign_in_with_code(driver, live, "incomplete")
    assert driver.current_url.endswith("/me")
    page = text(driver)
    assert "Incomplete" in page
    assert "Correction: last day" in page
    unread = driver.find_elements(By.CSS_SELECTOR, "li.notice.unread")
    assert unread, page  # the notice of what the package lacks (§10)
    go(driver, unread[0].find_element(By.CSS_SELECTOR, "button"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "li.notice.unread")) == len(unread) - 1
    go(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Bring what the notice named"))
    driver.find_element(By.ID, "f-documents-0-kind").send_keys("Sanitary conclusion")
    driver.find_element(By.ID, "f-documents-0-title").send_keys("Sanitary conclusion")
    scan = live.folder / "conclusion.pdf"
    scan.write_bytes(b"%PDF-1.4 the sanitary conclusion")
    driver.find_element(By.ID, "f-documents-0-sha256").send_keys(str(scan))
    submit(driver)
    assert driver.current_url.split("?")[0].endswith("/me"), text(driver)
    assert "Corrected" in text(driver)


def test_a_registered_applicant_sees_her_place_and_why_it_changed(
    driver: WebDriver, live: Live
) -> None:
    sign_in_with_code(driver, live, "registered-4")
    page = text(driver)
    assert "Place on the list" in page
    assert "Why my place changed" in page


def test_the_officers_worklist_orders_by_last_day_and_the_act_form_records_the_act(
    driver: WebDriver, live: Live
) -> None:
    sign_in_with_token(driver, live, live.token(OFFICER))
    assert driver.current_url.endswith("/work"), text(driver)
    days = [
        c.get_attribute("data-due") or ""
        for c in driver.find_elements(By.CSS_SELECTOR, "td[data-due]")
    ]
    assert days
    assert days == sorted(days)
    submitted = live.cases["submitted"]
    driver.get(f"{live.base}/cases/{submitted}")
    go(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Accept the application"))
    submit(driver)
    assert f"/cases/{submitted}" in driver.current_url
    assert "Accepted" in driver.find_element(By.CSS_SELECTOR, "dd.stage").text


def test_a_complaint_body_sees_only_the_complaints_before_it(driver: WebDriver, live: Live) -> None:
    sign_in_with_token(driver, live, live.token(QUALITY_BODY))
    page = text(driver)
    assert live.cases["quality"] in page
    assert live.cases["higher"] not in page
    driver.get(f"{live.base}/cases/{live.cases['higher']}")
    assert "Not allowed" in text(driver)
    sign_in_with_token(driver, live, live.token(HIGHER_BODY))
    page = text(driver)
    assert live.cases["higher"] in page
    assert live.cases["quality"] not in page


def test_a_court_downloads_the_export_and_verify_accepts_it_and_refuses_a_tampered_one(
    driver: WebDriver, live: Live
) -> None:
    case = live.cases["registered-3"]
    sign_in_with_token(driver, live, live.token(COURT))
    driver.get(f"{live.base}/cases/{case}")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Download the court export").click()
    bundle = live.downloads / f"kezek-{case}.zip"
    WebDriverWait(driver, 30).until(lambda _: bundle.exists() and bundle.stat().st_size > 0)
    key = httpx.get(f"{live.base}/v1/transparency/checkpoint").json()["verifier_key"]
    assert "The bundle holds" in verified(driver, live, bundle, key)
    tampered = live.folder / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as copy:
        events = [i.filename for i in source.infolist() if i.filename.startswith("events/")]
        for item in source.infolist():
            data = source.read(item)
            if item.filename == events[0]:  # the filing: its provider changed
                data = data.replace(b"almaty", b"astana", 1)
            copy.writestr(item, data)
    assert "The bundle does not hold" in verified(driver, live, tampered, key)


def verified(driver: WebDriver, live: Live, bundle: Path, key: str) -> str:
    driver.get(f"{live.base}/verify")
    driver.find_element(By.ID, "bundle").send_keys(str(bundle))
    driver.find_element(By.ID, "key").send_keys(key)
    submit(driver)
    return text(driver)


def test_a_form_without_its_csrf_token_or_from_another_role_is_refused_and_writes_nothing(
    driver: WebDriver, live: Live
) -> None:
    case = live.cases["registered-5"]
    sign_in_with_code(driver, live, "registered-5")
    driver.get(f"{live.base}/cases/{case}/acts/withdraw")
    driver.execute_script("document.querySelector('main input[name=csrf]').remove()")
    before = live.head()
    submit(driver)
    assert "Not allowed" in text(driver)
    sign_in_with_token(driver, live, live.token(HEAD))
    driver.get(f"{live.base}/sign")
    own_csrf = driver.find_element(By.NAME, "csrf").get_attribute("value")
    driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post';"
        f" f.action = '/cases/{case}/acts/withdraw';"
        " const c = document.createElement('input'); c.name = 'csrf'; c.value = arguments[0];"
        " f.appendChild(c); document.body.appendChild(f); f.submit();",
        own_csrf,
    )
    WebDriverWait(driver, 10).until(lambda d: "/acts/withdraw" in d.current_url)
    assert "Not allowed" in text(driver)
    assert live.head() == before


PUBLIC = ["/", "/queues/almaty/socially_vulnerable", "/signin", "/verify", "/?lang=kk", "/?lang=ru"]


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    driver: WebDriver, live: Live
) -> None:
    found: dict[str, list[str]] = {}
    incomplete, submitted = live.cases["incomplete"], live.cases["submitted"]
    signed = {
        "": PUBLIC,
        "head": [
            "/work",
            "/sign",
            f"/cases/{incomplete}",
            f"/cases/{submitted}/acts/accept",
            "/cases",
        ],
        "body": ["/complaints", f"/cases/{live.cases['quality']}"],
        "applicant": ["/me", f"/cases/{live.cases['quality']}/acts/file-complaint"],
    }
    for who, paths in signed.items():
        if who == "head":
            sign_in_with_token(driver, live, live.token(HEAD))
        elif who == "body":
            sign_in_with_token(driver, live, live.token(QUALITY_BODY))
        elif who == "applicant":
            sign_in_with_code(driver, live, "quality")
        for path in paths:
            driver.get(f"{live.base}{path}")
            bad = serious_violations(driver)
            if bad:
                found[path] = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in bad]
    assert found == {}


def test_every_page_fits_a_320_px_screen_without_scrolling_sideways(
    driver: WebDriver, live: Live
) -> None:
    """Wide tables scroll inside their own focusable region; the page itself never does."""
    wide: dict[str, int] = {}
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        sign_in_with_token(driver, live, live.token(HEAD))
        for path in [*PUBLIC, "/work", "/sign", f"/cases/{live.cases['incomplete']}"]:
            driver.get(f"{live.base}{path}")
            width = int(driver.execute_script("return document.documentElement.scrollWidth"))
            if width > 320:
                wide[path] = width
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert wide == {}


def test_the_sign_in_works_with_the_keyboard_alone(driver: WebDriver, live: Live) -> None:
    driver.get(f"{live.base}/")
    driver.delete_all_cookies()
    driver.get(f"{live.base}/signin")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the first stop is the skip link
    assert driver.switch_to.active_element.text == "Skip to content"
    for _ in range(30):
        if driver.switch_to.active_element.get_attribute("id") == "iin":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    field = driver.switch_to.active_element
    assert field.get_attribute("id") == "iin"
    field.send_keys(live.forms["submitted"].applicant_iin, Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "code"))
