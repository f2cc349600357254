"""The HTML view in a real browser: Debian's headless Chromium driven by Selenium.

The browser and driver are Debian's (``chromium``, ``chromium-driver``; ``make test`` installs
them when missing, as root). Selenium gets the driver's path, so Selenium Manager never runs
and nothing is downloaded. Without them these tests skip, saying why — except under CI=true,
where a missing browser is a failure: CI must not pass by not looking.

Set ZHDOC_WRITE_SCREENSHOT=1 to also write docs/view.png (the README's picture).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, SEED, flatten

import zhdoc
from zhdoc.export.html import render_html

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOT_SAMPLE = SAMPLES / "01_changweihui.txt"


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed (Debian packages chromium, chromium-driver; `make test` installs them as root)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # belt and braces: Selenium Manager must not go online
    profile = tempfile.mkdtemp(prefix="zhdoc-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    # The flags keep Chromium off the network it would otherwise try at start (updates, sync,
    # field trials): this machine's network is closed and the test must see only the page.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,900"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        # The start page (chrome://new-tab-page) loads its own resources asynchronously: settle on
        # about:blank so that they are logged before the first test drains the log.
        drv.get("about:blank")
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, doc: zhdoc.Document, tmp_path: Path, name: str = "view.html") -> Path:
    path = tmp_path / name
    path.write_text(render_html(doc), encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.get(path.as_uri())
    return path


def _requests(driver: Any) -> list[str]:
    """URLs requested since the log was last read. chrome:// ones are the browser's own start
    page (a file:// page cannot load chrome:// URLs), so they are no request of the page's."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if not url.startswith("chrome://"):
                urls.append(url)
    return urls


def _errors(driver: Any) -> list[dict[str, Any]]:
    """Console errors since the log was last read, but for the browser's own chrome:// pages."""
    return [e for e in driver.get_log("browser")
            if e["level"] in ("SEVERE", "ERROR") and not e["message"].startswith("chrome://")]


def _in_view(driver: Any, el: Any) -> bool:
    return bool(driver.execute_script(
        "var r=arguments[0].getBoundingClientRect();return r.bottom>0&&r.top<window.innerHeight;", el))


def test_sample_page_loads_clean_and_keeps_the_contract(driver: Any, tmp_path: Path) -> None:
    for sample in sorted(SAMPLES.glob("*.txt")):
        doc = zhdoc.parse_file(sample)
        path = _open(driver, doc, tmp_path, sample.stem + ".html")
        assert _errors(driver) == [], sample.name
        assert _requests(driver) == [path.as_uri()], sample.name  # the page itself, nothing else
        n_entities = sum(len(r.entities) for r in doc.reports)
        distinct = driver.execute_script(
            "return new Set(Array.from(document.querySelectorAll('[data-entity]'),"
            " e => e.dataset.entity)).size;")
        assert distinct == n_entities > 0, sample.name
        # the DOM's text is the input: offsets computed in the browser agree with Python's
        assert driver.execute_script("return document.getElementById('text').textContent;") == doc.text
        n_sections = sum(len(flatten(r.sections)) for r in doc.reports)
        assert driver.execute_script(
            "return document.querySelectorAll('#text [id^=r][data-level]').length;") == n_sections


def test_outline_click_and_keyboard_scroll_to_the_heading(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    doc = zhdoc.parse_file(SAMPLES / "01_changweihui.txt")
    _open(driver, doc, tmp_path)
    last = flatten(doc.reports[-1].sections)[-1]
    target_id = f"r{len(doc.reports) - 1}-s{last.id}"
    heading = driver.find_element(By.ID, target_id)
    assert not _in_view(driver, heading), "the test needs a heading below the first screen"
    driver.find_element(By.CSS_SELECTOR, f'#outline a[href="#{target_id}"]').click()
    assert _in_view(driver, heading)
    assert driver.execute_script("return location.hash;") == f"#{target_id}"
    # keyboard: the first outline entry, ArrowDown to the next, Enter follows it
    links = driver.find_elements(By.CSS_SELECTOR, "#outline section a")
    links[0].send_keys(Keys.ARROW_DOWN)
    active = driver.switch_to.active_element
    assert active == links[1]
    active.send_keys(Keys.ENTER)
    assert driver.execute_script("return location.hash;") == links[1].get_attribute("hash")
    # a click on an entry that has children follows it and leaves its children unfolded
    parent = driver.find_element(By.CSS_SELECTOR, "#outline summary > a")
    parent.click()
    assert driver.execute_script("return location.hash;") == parent.get_attribute("hash")
    assert driver.execute_script("return arguments[0].closest('details').open;", parent) is True
    # ArrowLeft on an entry that has children folds them away
    parent.send_keys(Keys.ARROW_LEFT)
    assert driver.execute_script("return arguments[0].closest('details').open;", parent) is False


def test_hiding_a_type_hides_exactly_its_highlights(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    doc = zhdoc.parse_file(SAMPLES / "01_changweihui.txt")
    _open(driver, doc, tmp_path)
    js = ("return Array.from(document.querySelectorAll('[data-entity]'), e => [e.dataset.type,"
          " getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)']);")
    before = driver.execute_script(js)
    assert before and not any(hidden for _, hidden in before)
    driver.find_element(By.CSS_SELECTOR, 'input[data-toggle="location"]').click()
    after = driver.execute_script(js)
    assert any(t == "location" for t, _ in after)
    assert all(hidden == (t == "location") for t, hidden in after)
    # the text stays: hiding a type removes highlights, not words
    assert driver.execute_script("return document.getElementById('text').textContent;") == doc.text
    driver.find_element(By.CSS_SELECTOR, 'input[data-toggle="location"]').click()
    assert not any(hidden for _, hidden in driver.execute_script(js))


def test_hover_and_focus_show_typed_fields(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    doc = zhdoc.parse_file(SAMPLES / "01_changweihui.txt")
    _open(driver, doc, tmp_path)
    count = next(i for i, e in enumerate(doc.reports[0].entities) if e.type == "count" and e.unit)
    el = driver.find_element(By.ID, f"e0-{count}")
    driver.execute_script("arguments[0].scrollIntoView({block:'center'});", el)
    ActionChains(driver).move_to_element(el).perform()
    tip = driver.find_element(By.ID, "tip")
    assert tip.is_displayed()
    entity = doc.reports[0].entities[count]
    assert "unit" in tip.text and str(entity.unit) in tip.text
    ActionChains(driver).move_by_offset(0, 300).perform()
    session = next(i for i, e in enumerate(doc.reports[0].entities) if e.type == "session")
    sel = driver.find_element(By.ID, f"e0-{session}")
    driver.execute_script("arguments[0].focus();", sel)
    assert tip.is_displayed() and doc.reports[0].entities[session].canonical in tip.text
    assert sel.get_attribute("aria-describedby") == "tip"


def test_diagnostics_and_checks_scroll_to_their_span(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    doc = zhdoc.parse_file(SAMPLES / "02_tian.txt")
    assert doc.diagnostics and doc.reports[0].checks
    _open(driver, doc, tmp_path)
    for d_index, d in enumerate(doc.diagnostics):
        if d.span is None:
            continue
        driver.find_element(By.CSS_SELECTOR, f'.diags a[href="#d{d_index}"]').click()
        assert _in_view(driver, driver.find_element(By.ID, f"d{d_index}"))
    states = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".checks .state")]
    assert states == ["holds" if c.holds else "fails" for r in doc.reports for c in r.checks]
    link = driver.find_elements(By.CSS_SELECTOR, ".checks a")[-1]
    link.click()
    target = driver.find_element(By.ID, link.get_attribute("hash")[1:])
    assert _in_view(driver, target)


def test_seed_displaced_block_links_to_where_it_is_read(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    if not SEED.exists():
        pytest.skip("../shared/seed is not beside this checkout (real reports are not bundled)")
    doc = zhdoc.parse_file(SEED)
    _open(driver, doc, tmp_path)
    assert _errors(driver) == []
    blocks = driver.find_elements(By.CSS_SELECTOR, "#text .displaced:not([data-continued])")
    assert len(blocks) == 1  # shown once, where printed
    readback = driver.find_element(By.CSS_SELECTOR, "#text a.readback")
    driver.execute_script("arguments[0].scrollIntoView();", readback)
    readback.click()
    target = driver.find_element(By.ID, readback.get_attribute("hash")[1:])
    assert _in_view(driver, target)
    assert target.get_attribute("data-level") == "2"


def test_hostile_text_renders_as_text_and_runs_no_script(driver: Any, tmp_path: Path) -> None:
    text = ('一、总体情况\n<script>window.__pwned=1</script> & "引号" \'单\' \u2028 '
            '<img src="x.png" onerror="window.__pwned=2"></script>召开会议12次，《<b>书</b>》。\n')
    doc = zhdoc.parse(text)
    path = _open(driver, doc, tmp_path)
    assert driver.execute_script("return window.__pwned === undefined;") is True
    assert driver.execute_script("return document.querySelectorAll('#text img, #text b, #text script').length;") == 0
    assert driver.execute_script("return document.getElementById('text').textContent;") == text
    assert _errors(driver) == []
    assert _requests(driver) == [path.as_uri()]
    # and the entity data (a <script> block) survived the same characters
    assert driver.execute_script(
        "return JSON.parse(document.getElementById('zhdoc-data').textContent).entities['0-0'] !== undefined;")


def test_screenshot(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    doc = zhdoc.parse_file(SCREENSHOT_SAMPLE)
    _open(driver, doc, tmp_path)
    # show a studio with the place nested in it, its fields in the tooltip
    studio = next(i for i, e in enumerate(doc.reports[0].entities) if e.type == "studio")
    el = driver.find_element(By.ID, f"e0-{studio}")
    driver.execute_script("arguments[0].scrollIntoView({block:'center'}); arguments[0].focus();", el)
    assert driver.find_element(By.ID, "tip").is_displayed()
    shot = tmp_path / "view.png"
    assert driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("ZHDOC_WRITE_SCREENSHOT") == "1":
        (ROOT / "docs" / "view.png").write_bytes(data)
