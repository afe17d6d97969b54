"""Real-browser tests: Debian's Chromium, driven by Playwright, against a live server.

One browser and one live server with the demo municipality serve the whole package. The demo
data is loaded once; each test then runs in a transaction, as in a TestCase. On SQLite the live
server shares that transaction, so what a journey writes is rolled back; on PostgreSQL the
server commits, so each journey writes text of its own and looks only for that.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
MISSING = f"Chromium not found at {CHROMIUM}: browser tests skipped"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
PERSONAS = ("admin", "samordnare", "ansvarig", "lasare", "revisor")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    skip = not CHROMIUM.exists() and not os.environ.get("CI")  # in CI, `browser` fails instead
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db)
            if skip:
                item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if MISSING in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep("=", "browser tests not run", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} skipped. {MISSING}. "
            "Install it with `apt-get install chromium`; with CI set they fail instead."
        )


@pytest.fixture(scope="package")
def browser(django_db_setup: None) -> Iterator[Any]:
    """Chromium, started after the test database is made (see below) and stopped with the
    package, as the variable set here must not outlive it (`ik check --deploy` refuses it)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; in CI the browser tests must run.")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread. Django then keeps the
    # tests' database connections apart from the ones it made before, and calls them unsafe;
    # they are plain synchronous calls, so it may let them through.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        # launch() starts Chromium on a fresh temporary profile (user data dir) of its own.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        connections.close_all()  # the tests' own, else PostgreSQL cannot drop the database
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Site:
    url: str
    browser: Any

    def new_page(self, session: Any = None) -> Any:
        context = self.browser.new_context(
            base_url=self.url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            storage_state=session,
        )
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()


@pytest.fixture(scope="package")
def site(browser: Any, django_db_blocker: Any) -> Iterator[Site]:
    """The live server with the demo municipality (loaded once, flushed after)."""
    from django.core.management import call_command

    with django_db_blocker.unblock(), request_connections_closed():
        call_command("demo", quiet_logins=True, stdout=StringIO())
        server = start_server()
        try:
            yield Site(f"http://{server.host}:{server.port}", browser)
        finally:
            server.terminate()
            for connection in server.connections_override.values():
                connection.dec_thread_sharing()
            # As after a TransactionTestCase: the tests that run next find an empty database.
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def page(site: Site) -> Iterator[Any]:
    """A fresh browser tab, not logged in, with no cookies."""
    page = site.new_page()
    yield page
    page.context.close()


@pytest.fixture(scope="package")
def sessions(site: Site) -> dict[str, Any]:
    """Each demo user logged in once, before any test's transaction begins, so it lasts."""
    from internkontroll.tests.browser.helpers import log_in

    states = {}
    for persona in PERSONAS:
        page = site.new_page()
        log_in(page, persona)
        states[persona] = page.context.storage_state()
        page.context.close()
    return states


@pytest.fixture
def page_as(site: Site, sessions: dict[str, Any]) -> Iterator[Callable[[str | None], Any]]:
    """A browser tab already logged in as a demo user (None: not logged in), for tests that
    are not about logging in."""
    pages: list[Any] = []

    def open_page(persona: str | None) -> Any:
        pages.append(site.new_page(sessions[persona] if persona else None))
        return pages[-1]

    yield open_page
    for page in pages:
        page.context.close()


@contextmanager
def request_connections_closed() -> Iterator[None]:
    """Every request closes its database connection, even on a connection the browser keeps
    open, so none outlives the server (the test database can only be dropped without them)."""
    from django.db import connections

    before = {alias: connections.settings[alias]["CONN_MAX_AGE"] for alias in connections}
    for alias in before:
        connections.settings[alias]["CONN_MAX_AGE"] = 0
    try:
        yield
    finally:
        for alias, age in before.items():
            connections.settings[alias]["CONN_MAX_AGE"] = age


def start_server() -> Any:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread

    class Server(ThreadedWSGIServer):
        def _close_connections(self) -> None:
            # A shared in-memory SQLite connection is never closed (Django would ignore it), and
            # after the server stops, a late request thread must not touch it.
            for alias in connections:
                if alias not in (self.connections_override or {}):
                    connections[alias].close()

    class ServerThread(LiveServerThread):
        server_class = Server

    # An in-memory SQLite database lives in one connection, which the server threads share.
    shared = {
        connection.alias: connection
        for connection in connections.all()
        if connection.vendor == "sqlite" and connection.is_in_memory_db()
    }
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = ServerThread(
        "127.0.0.1",
        lambda app: OneRequestAtATime(StaticFilesHandler(app)),
        connections_override=shared,
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread


class OneRequestAtATime:
    """Lets one request at a time into Django, so no two threads use a shared connection at once.

    The server stays threaded: an idle connection the browser opened ahead blocks nobody.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.lock:
            return self.app(environ, start_response)
