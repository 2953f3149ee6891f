"""What the browser tests share (test_browser.py, test_crawl.py; their fixtures are in conftest.py): a CKAN
web server of their own on the test database, with the county's organizations, the demo, an editor of Kalmar
kommun and a sysadmin, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
STACK = Path(os.environ.get("KALMAR_STACK_DIR", ROOT / ".stack"))
SCREENSHOTS = STACK / "screenshots"
REPORTS = STACK / "reports"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CKAN = str(Path(sys.executable).with_name("ckan"))
EDITOR = ("redaktor-kalmar", "Redaktor-losen-1")
SYSADMIN = ("browsertest-admin", "Admin-losen-1")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ckan(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run([CKAN, "-c", str(ROOT / "test.ini"), *args], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextlib.contextmanager
def portal() -> Iterator[dict[str, str]]:
    """A fresh test database with the county's organizations and the demo, served on loopback."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CKAN_SITE_URL": url}
    ckan("db", "clean", "--yes", env=env)
    # Jobs queued by earlier test modules (their datasets are gone with the database) are not the demo's.
    ckan("jobs", "clear", env=env)
    ckan("db", "init", env=env)
    ckan("db", "pending-migrations", "--apply", env=env)
    ckan("search-index", "clear", env=env)
    ckan("kalmar", "setup", env=env)
    ckan("kalmar", "jobs-worker", "--burst", env=env)  # the demo's files: checked and loaded into the DataStore
    ckan("user", "add", EDITOR[0], "email=redaktor@example.org", f"password={EDITOR[1]}", env=env)
    ckan("user", "add", SYSADMIN[0], "email=admin@example.org", f"password={SYSADMIN[1]}", env=env)
    ckan("sysadmin", "add", SYSADMIN[0], env=env)
    token = ckan("user", "token", "add", SYSADMIN[0], "browsertest", env=env).strip().splitlines()[-1].strip()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    log = open(STACK / "logs" / "browser-test-ckan.log", "w")
    server = subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), "run", "-H", "127.0.0.1", "-p", str(port),
                               "--disable-reloader"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, "the CKAN server exited; see .stack/logs/browser-test-ckan.log"
            assert time.monotonic() < deadline, "the CKAN server did not start"
            time.sleep(0.5)
        member = requests.post(f"{url}/api/3/action/organization_member_create", headers={"Authorization": token},
                               json={"id": "kalmar-kommun", "username": EDITOR[0], "role": "editor"}, timeout=30)
        assert member.ok, member.text
        yield {"url": url, "token": token}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def failed_requests(page, failed: list[str] | None = None) -> list[str]:
    """Every request of the page that failed or was answered with an error (filled in as the page loads).
    A request the browser itself abandoned because the page went on (ERR_ABORTED, e.g. the favicon of the
    page before) is not a failure."""
    failed = [] if failed is None else failed
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url} ({request.failure})")
            if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return failed


def log_in(page, portal, user, password):
    page.goto(f"{portal['url']}/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.locator("#field-password").press("Enter")
    assert "/user/login" not in page.url, "login failed"
