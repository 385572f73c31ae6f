"""End-to-end browser tests: a real uvicorn server on 127.0.0.1 (free port, temporary SQLite
database, `qcredit demo` data) driven by Debian's headless Chromium through Playwright.

Never a downloaded browser: Chromium comes from `apt-get install chromium`
(/usr/bin/chromium, or QCREDIT_CHROMIUM). Without it the tests skip — unless
QCREDIT_REQUIRE_BROWSER=1, when they fail (CI sets it so a missing browser cannot pass
silently). A failing test leaves a full-page screenshot in test-output/.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("QCREDIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REQUIRE = os.environ.get("QCREDIT_REQUIRE_BROWSER") == "1"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
DEMO_ENTERPRISES = 120
BIN = Path(sys.executable).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end tests in headless Chromium")
    config.addinivalue_line("markers", "mobile: run the browser test in a phone-sized viewport")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def _missing() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    why = _missing()
    if why is not None:
        if REQUIRE:
            pytest.fail(f"QCREDIT_REQUIRE_BROWSER=1 but {why}", pytrace=False)
        pytest.skip(why)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.loads(response.read())


@dataclass
class LiveServer:
    url: str
    key: str  # the demo agency's key (national, all scopes)
    log: Path

    def api(self, path: str, *, auth: bool = False) -> Any:
        headers = {"Authorization": f"Bearer {self.key}"} if auth else None
        return _get(self.url + path, headers)


@pytest.fixture(scope="session")
def live_server(
    browser_available: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    work = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'qcredit.db'}",
        "QCREDIT_LOG_LEVEL": "WARNING",
        "QCREDIT_RUN_BACKGROUND": "false",
        # every portal page counts against the public limit; the suite loads many from one
        # address within a minute
        "QCREDIT_PUBLIC_RATE_LIMIT": "100000",
    }
    qcredit = str(BIN / "qcredit")
    subprocess.run([qcredit, "migrate"], cwd=work, env=env, check=True, capture_output=True)
    demo = subprocess.run(
        [qcredit, "demo", "--enterprises", str(DEMO_ENTERPRISES)],
        cwd=work,  # the demo key file lands here, not in the repository
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    key = demo.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = work / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "service.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(url + "/readyz")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield LiveServer(url, key, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


# module scope: the sync API keeps an event loop running in this thread until it stops,
# which would break every later test that calls asyncio.run()
@pytest.fixture(scope="module")
def browser(browser_available: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def _shot_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150] + ".png"


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context per test (own sessionStorage and cookies), desktop-sized unless the
    test marks itself `mobile`."""
    mobile = request.node.get_closest_marker("mobile") is not None
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900},
        locale="zh-CN",
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    # the pages run under a strict CSP: anything it blocks is a bug, not noise
    blocked: list[str] = []
    tab.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        yield tab
        assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            OUTPUT.mkdir(exist_ok=True)
            target = OUTPUT / _shot_name(request.node.nodeid)
            try:
                tab.screenshot(path=str(target), full_page=True)
            except Exception as err:  # a crashed page must not hide the test's own error
                sys.stderr.write(f"screenshot failed: {err}\n")
        context.close()
