"""Real-browser journeys: Playwright for Python driving Debian's Chromium against pytest-django's live server.

The browser is /usr/bin/chromium (``make browsers`` installs it); Playwright never downloads one of its own.
Every page the journeys open is watched: a console error, an uncaught exception or a request to any host other
than the live server fails the test (foreign requests are aborted at the route, so nothing leaves the machine).
Screenshots go to ``artifacts/browser/<test>/`` at desktop width and at a 390 px phone width; a failing test
also leaves the page's HTML, a screenshot and the console log in ``artifacts/browser/<test>/failure/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache

CHROMIUM = Path(os.environ.get("SIINAS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("SIINAS_BROWSER_ARTIFACTS", settings.BASE_DIR / "artifacts" / "browser"))
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # The page fixture reads this at teardown to decide whether to keep the failing page.
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browsers` (Debian's chromium package)")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make browsers` (axe-core from package.json)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "known-problems.txt").unlink(missing_ok=True)

    # Playwright's sync API keeps an asyncio loop on this thread; the ORM calls the tests make between
    # browser steps are plain synchronous code, so Django's async-safety guard is lifted for this package.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # launch() gives every run a fresh, empty profile directory of its own.
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Watch:
    """What the browser did that a person would not want: console errors and requests off the live server."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    console_log: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


@dataclass
class Browsing:
    """One person's browser window on the live server, with the evidence it leaves behind."""

    page: object
    context: object
    base_url: str
    folder: Path
    watch: Watch
    shots: int = 0
    expected_console: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def navigate(self, action) -> None:
        """Do something that loads a new page (a click, Enter in a form) and wait until it has loaded."""
        with self.page.expect_navigation():
            action()
        self.page.wait_for_load_state("load")

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.page.wait_for_load_state("load")
        return response

    def shoot(self, name: str) -> None:
        """Screenshots of the current page at desktop width and at a 390 px phone width."""
        self.shots += 1
        stem = f"{self.shots:02d}-{slug(name)}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=self.folder / f"{stem}-desktop.png", full_page=True)
        desktop_overflow = self._overflow()
        self.page.set_viewport_size(PHONE)
        self.page.screenshot(path=self.folder / f"{stem}-phone.png", full_page=True)
        phone_overflow = self._overflow()
        self.page.set_viewport_size(DESKTOP)
        # Nothing may stick out sideways: wide tables scroll inside their own box, the menu wraps or folds.
        assert not desktop_overflow, f"{name}: wider than a 1280 px screen: {desktop_overflow}"
        assert not phone_overflow, f"{name}: wider than a 390 px phone: {phone_overflow}"

    def _overflow(self) -> list[str]:
        return self.page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width + 1) return [];
                return Array.from(document.querySelectorAll('body *'))
                    .filter(el => { const r = el.getBoundingClientRect(); return r.width && r.right > width + 1; })
                    .filter(el => !el.closest('.table-responsive, [hidden], .visually-hidden, .visually-hidden-focusable'))
                    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                        + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                        + ' right=' + Math.round(el.getBoundingClientRect().right));
            }"""
        )

    def allow_console(self, pattern: str) -> None:
        """A console line the journey provokes on purpose (e.g. the 4xx of a refused request)."""
        self.expected_console.append(pattern)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "page"


@pytest.fixture
def browsing_factory(browser, live_server, request) -> Iterator:
    """Opens browser windows (one per person in the journey); checks and closes them at the end."""
    # Rate limits and the "failed recently, ask for the captcha" marks live in the cache (Redis in CI).
    cache.clear()
    origin = live_server.url.rstrip("/")
    host = urlsplit(origin).netloc
    folder = ARTIFACTS / slug(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    opened: list[Browsing] = []

    def open_window(who: str = "") -> Browsing:
        context = browser.new_context(viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(15_000)
        watch = Watch(origin=origin)

        def guard(route):
            if urlsplit(route.request.url).netloc == host or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                watch.foreign_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        window_folder = folder / slug(who) if who else folder
        browsing = Browsing(page=page, context=context, base_url=origin, folder=window_folder, watch=watch)

        def on_console(message):
            line = f"[{message.type}] {message.text} ({message.location.get('url', '')})"
            watch.console_log.append(line)
            if message.type == "error":
                watch.console_errors.append(line)

        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.console_errors.append(f"[pageerror] {error}"))
        # The portal asks window.confirm() before destructive POSTs; a person clicks OK.
        page.on("dialog", lambda dialog: dialog.accept())
        opened.append(browsing)
        return browsing

    yield open_window

    failed = request.node.stash.get(_FAILED, False)
    problems = []
    for browsing in opened:
        if failed:
            _keep_failure(browsing)
        errors = [
            line
            for line in browsing.watch.console_errors
            if not any(re.search(pattern, line) for pattern in browsing.expected_console)
        ]
        if errors:
            problems.append("console errors:\n  " + "\n  ".join(errors))
        if browsing.watch.foreign_requests:
            problems.append("requests off the live server:\n  " + "\n  ".join(browsing.watch.foreign_requests))
        browsing.context.close()
    if problems and not failed:
        pytest.fail("\n".join(problems))


def _keep_failure(browsing: Browsing) -> None:
    failure = browsing.folder / "failure"
    failure.mkdir(parents=True, exist_ok=True)
    page = browsing.page
    notes = []
    try:
        page.wait_for_load_state("load", timeout=5_000)
    except Exception as error:  # noqa: BLE001 — keep whatever the page still shows
        notes.append(f"page did not finish loading: {error}")
    try:
        (failure / "page.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001
        notes.append(f"page HTML not readable: {error}")
    try:
        page.screenshot(path=failure / "page.png", full_page=True)
    except Exception as error:  # noqa: BLE001
        notes.append(f"no screenshot: {error}")
    (failure / "url.txt").write_text(page.url + "\n", encoding="utf-8")
    watch = browsing.watch
    (failure / "console.txt").write_text(
        "\n".join(
            ["# console", *watch.console_log, "# errors", *watch.console_errors,
             "# requests off the live server", *watch.foreign_requests, "# notes", *notes]
        )
        + "\n",
        encoding="utf-8",
    )


@pytest.fixture
def browsing(browsing_factory) -> Browsing:
    """A single anonymous browser window."""
    return browsing_factory()
