"""Real-browser tests: JupyterLab on loopback, driven in headless Chromium through Playwright.

Fixtures
    jupyter_lab    a private JupyterLab server over a fresh copy of course/ (a `JupyterLab`)
    page           a Playwright page in Debian's /usr/bin/chromium
    run_notebook   run_notebook("00_how_to_use.ipynb") -> NotebookRun: opens the notebook,
                   runs all cells in a fresh kernel, waits, screenshots, returns what is shown
    module_jupyter_lab, module_page, module_run_notebook
                   the same, but one server and one browser page for every test of a module
                   (starting them costs seconds); module_run_notebook opens each notebook in
                   the running JupyterLab and closes it, kernel shut down, after the test

Every test in this folder gets the `browser` marker (deselect with -m "not browser").
Without Chromium these tests skip on a developer machine and fail in CI (CI=true). Another
Chromium-based browser can be named with AUTODIFF_NB_CHROMIUM=/path/to/binary.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
COURSE = HERE.parent.parent / "course"
ARTIFACTS = HERE / "artifacts"
CHROMIUM = Path(os.environ.get("AUTODIFF_NB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed as root (CI); the browser only ever loads our own loopback server
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # without these Chromium tries to reach the internet
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 60
NOTEBOOK_RUN_TIMEOUT_MS = 180_000

# JupyterLab user settings for the test server (written into its private config dir).
LAB_SETTINGS = {
    # Keep every cell in the DOM, so assertions see cells that are scrolled off screen.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # No news or update checks: they would reach for the internet and pop up a toast.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


@pytest.hookimpl(tryfirst=True)  # before -m "not browser" deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class JupyterLab:
    """A running JupyterLab server; `root_dir` is the private copy of the course it serves."""

    url: str
    token: str
    root_dir: Path

    def notebook_url(self, notebook: str) -> str:
        return f"{self.url}lab/tree/{notebook}?token={self.token}&reset"


@dataclass
class NotebookRun:
    """What the browser showed after running every cell of a notebook."""

    notebook: str
    completed: bool  # False when a cell raised and Run All stopped there
    text: str  # visible text of the whole notebook panel, outputs included
    screenshot: Path
    console_errors: list[str] = field(default_factory=list)
    modified_after_open: bool = False  # JupyterLab marked it changed before anything was run


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_home(home: Path) -> dict[str, str]:
    """This process's environment (isolated by the top-level conftest.py or dev.py) with HOME and
    every per-user config and cache dir moved under `home`, private to one server or browser."""
    env = dict(os.environ, HOME=str(home))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    return env


def write_lab_settings(config_dir: Path) -> None:
    for plugin, settings in LAB_SETTINGS.items():
        path = config_dir / "lab" / "user-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))


def wait_until_serving(server: subprocess.Popen, url: str, token: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    request = urllib.request.Request(f"{url}api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT_S} s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM lets the server shut its kernels down; the process group is killed if it lingers."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # the server's own group: leftover kernels, if any
    except ProcessLookupError:
        pass
    server.wait()


@contextmanager
def serving_course(tmp_path: Path) -> Iterator[JupyterLab]:
    """JupyterLab on 127.0.0.1 with a random token, serving a fresh copy of course/.

    The copy matters: JupyterLab autosaves, so the committed notebooks are never touched and
    a later run never sees state an earlier run left behind.
    """
    root_dir = tmp_path / "course"
    shutil.copytree(COURSE, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    env = private_home(tmp_path / "lab-home")
    write_lab_settings(Path(env["JUPYTER_CONFIG_DIR"]))
    port, token = free_loopback_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root_dir}",
                "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run commands
                "--LabApp.extension_manager=readonly",  # no extension look-ups on PyPI
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            cwd=root_dir,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_serving(server, url, token, log)
        yield JupyterLab(url=url, token=token, root_dir=root_dir)
    finally:
        stop(server)


@pytest.fixture
def jupyter_lab(tmp_path: Path) -> Iterator[JupyterLab]:
    """A JupyterLab server of this test's own (see serving_course)."""
    with serving_course(tmp_path) as lab:
        yield lab


@pytest.fixture(scope="module")
def module_jupyter_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """One JupyterLab server for every test of the module (see serving_course)."""
    with serving_course(tmp_path_factory.mktemp("lab")) as lab:
        yield lab


@contextmanager
def chromium_page(tmp_path: Path):
    """A page in headless Debian Chromium (never a browser downloaded by Playwright)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install it (Debian: apt-get install chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    home = tmp_path / "chromium-home"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            env=private_home(home),
            viewport={"width": 1280, "height": 1600},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


@pytest.fixture
def page(tmp_path: Path):
    """A page in a browser of this test's own (see chromium_page)."""
    with chromium_page(tmp_path) as browser_page:
        yield browser_page


@pytest.fixture(scope="module")
def module_page(tmp_path_factory: pytest.TempPathFactory):
    """One browser page for every test of the module (see chromium_page)."""
    with chromium_page(tmp_path_factory.mktemp("chromium")) as browser_page:
        yield browser_page


def open_notebook(page, lab: JupyterLab, notebook: str) -> None:
    """Show `notebook` in `page` and wait for its kernel. The first time JupyterLab is loaded with
    it (a fresh workspace); after that it is opened in the running JupyterLab, seconds faster."""
    if page.url.startswith(lab.url) and page.evaluate("() => Boolean(window.jupyterapp)"):
        page.evaluate("(path) => { window.jupyterapp.commands.execute('docmanager:open', { path }); }",
                      notebook)
    else:
        page.goto(lab.notebook_url(notebook))
    page.wait_for_function(
        """(path) => {
            const panel = window.jupyterapp?.shell?.currentWidget;
            return panel?.context?.path === path
                && panel.sessionContext?.session?.kernel?.status === 'idle';
        }""",
        arg=notebook,
        timeout=NOTEBOOK_RUN_TIMEOUT_MS,
    )


def close_notebooks(page) -> None:
    """Shut down the kernel of every open notebook and close its tab, unsaved (JupyterLab stays)."""
    page.evaluate(
        """async () => {
            const notebooks = [...window.jupyterapp.shell.widgets('main')]
                .filter((widget) => widget.sessionContext && widget.content?.model?.cells);
            for (const panel of notebooks) {
                await panel.sessionContext.shutdown();
                panel.dispose();
            }
        }"""
    )


def run_notebook_in_browser(page, lab: JupyterLab, notebook: str) -> NotebookRun:
    """Open `notebook` (a path under course/), Run All in a fresh kernel, and report what shows.

    Stored outputs are cleared first, so everything in the result was produced by this run.
    Returns (rather than raises) when a cell fails: check `completed` and `text`.
    A screenshot is saved to tests/browser/artifacts/<notebook>.png.
    """
    console_errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    def on_page_error(error) -> None:
        console_errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        return _run_all(page, lab, notebook, console_errors)
    finally:  # a page that serves several notebooks reports each one's own errors
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)


def _run_all(page, lab: JupyterLab, notebook: str, console_errors: list[str]) -> NotebookRun:
    open_notebook(page, lab, notebook)
    page.wait_for_timeout(1500)  # JupyterLab rewrites a kernelspec it disagrees with soon after opening
    modified_after_open = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click()  # focus, as a person would
    # Run All resolves to true once every cell ran, false when a cell raised and stopped the run.
    page.evaluate(
        """() => {
            const commands = window.jupyterapp.commands;
            window.__autodiffRunAll = undefined;
            commands.execute('notebook:clear-all-cell-outputs')
                .then(() => commands.execute('runmenu:run-all'))
                .then((ok) => { window.__autodiffRunAll = ok === true; },
                      () => { window.__autodiffRunAll = false; });
        }"""
    )
    # Then: kernel idle and no cell queued or running ([*]).
    page.wait_for_function(
        """() => {
            if (window.__autodiffRunAll === undefined) return false;
            const panel = window.jupyterapp.shell.currentWidget;
            if (panel.sessionContext.session?.kernel?.status !== 'idle') return false;
            const prompts = [...panel.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return !prompts.some((prompt) => prompt.textContent.includes('*'));
        }""",
        polling=250,
        timeout=NOTEBOOK_RUN_TIMEOUT_MS,
    )
    completed = page.evaluate("() => window.__autodiffRunAll")
    # Widget views render asynchronously after their cell has finished.
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.node.innerText.includes('Loading widget...')",
        timeout=30_000,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / f"{Path(notebook).stem}.png"
    page.screenshot(path=str(screenshot))
    return NotebookRun(
        notebook=notebook,
        completed=completed,
        text=page.evaluate("() => window.jupyterapp.shell.currentWidget.node.innerText"),
        screenshot=screenshot,
        console_errors=console_errors,
        modified_after_open=modified_after_open,
    )


@pytest.fixture
def run_notebook(page, jupyter_lab: JupyterLab) -> Callable[[str], NotebookRun]:
    """`run_notebook("NN_name.ipynb")` runs that chapter; see run_notebook_in_browser."""
    return lambda notebook: run_notebook_in_browser(page, jupyter_lab, notebook)


@pytest.fixture
def module_run_notebook(
    module_page, module_jupyter_lab: JupyterLab
) -> Iterator[Callable[[str], NotebookRun]]:
    """Like run_notebook, in module_page against module_jupyter_lab; the notebooks it opened are
    closed and their kernels shut down after the test."""
    try:
        yield lambda notebook: run_notebook_in_browser(module_page, module_jupyter_lab, notebook)
    finally:
        close_notebooks(module_page)
