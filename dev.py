#!/usr/bin/env python3
"""One entry point for working on autodiff_nb (standard library only, Python 3.10+).

    python3 dev.py course      # set up .venv and open the course in JupyterLab
    python3 dev.py test        # set up .venv and run every test: unit, strict nbval, browser
    python3 dev.py notebooks   # re-execute every course notebook in place (fresh kernel each)
    python3 dev.py lint        # ruff over the package, tests and notebooks
    python3 dev.py site        # build the course website into _site/html (`site links`: docs/)

Extra arguments after `test` go to pytest (e.g. `python3 dev.py test -m "not browser" -x`);
after `notebooks` they name the notebooks to re-execute (default: all of course/*.ipynb).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
COURSE = ROOT / "course"
SANITIZE_FILE = ROOT / "tests" / "nbval-sanitize.cfg"
STAMP = VENV / "autodiff_nb-install.json"
MIN_PYTHON = (3, 10)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    exe = "python.exe" if os.name == "nt" else "python"
    return VENV / scripts / exe


def log(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(cmd: Sequence[str | os.PathLike[str]], **kwargs) -> int:
    log("$ " + " ".join(str(part) for part in cmd))
    with subprocess.Popen([str(part) for part in cmd], **kwargs) as child:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                # The child got the same Ctrl+C: let it stop in its own way (pytest tears its
                # fixtures down, JupyterLab asks to confirm) instead of killing it.
                continue


def check(cmd: Sequence[str | os.PathLike[str]], **kwargs) -> None:
    code = run(cmd, **kwargs)
    if code != 0:
        sys.exit(f"[dev.py] command failed with exit code {code}")


def venv_is_usable() -> bool:
    python = venv_python()
    if not python.exists():
        return False
    probe = f"import sys; raise SystemExit(sys.version_info[:2] < {MIN_PYTHON})"
    return subprocess.call([str(python), "-c", probe]) == 0


def install_key() -> str:
    """Changes whenever what `pip install -e .` would install may change."""
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv(extra: str) -> Path:
    """Create .venv if needed and make sure `-e .[extra]` is installed; quick when it already is."""
    if sys.version_info[:2] < MIN_PYTHON:
        needed = ".".join(map(str, MIN_PYTHON))
        sys.exit(f"autodiff_nb needs Python {needed} or newer; this is {sys.version}")
    if not venv_is_usable():
        log(f"creating {VENV.relative_to(ROOT)} with {sys.executable}")
        shutil.rmtree(VENV, ignore_errors=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as error:
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit(
                f"could not create {VENV} ({error}). On Debian/Ubuntu the venv module needs "
                "`sudo apt-get install python3-venv`."
            )
    stamp = json.loads(STAMP.read_text()) if STAMP.exists() else {}
    extras = set(stamp.get("extras", [])) if stamp.get("key") == install_key() else set()
    if extra not in extras:
        started = time.monotonic()
        check(
            [
                venv_python(),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                f".[{extra}]",
            ],
            cwd=ROOT,
        )
        extras.add(extra)
        STAMP.write_text(json.dumps({"key": install_key(), "extras": sorted(extras)}))
        log(f"installed .[{extra}] in {time.monotonic() - started:.0f} s")
    return venv_python()


@contextmanager
def isolated_environment() -> Iterator[dict[str, str]]:
    """Environment for tests and notebook runs: nothing is read from or written to HOME.

    The kernel of `dev.py notebooks` and the kernel of nbval both get exactly this, so the
    stored outputs and the recomputed ones come from the same settings (matplotlib's
    default inline backend among them: MPLBACKEND is removed, never forced to Agg).
    """
    with tempfile.TemporaryDirectory(prefix="autodiff_nb-") as scratch:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
            env[name] = str(Path(scratch, name.lower()))
            Path(env[name]).mkdir()
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYTHONHASHSEED"] = "0"  # set and dict-of-str orders in printed output stay fixed
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # silences debugpy's frozen-modules warning
        env["AUTODIFF_NB_ISOLATED"] = scratch  # conftest.py then leaves the environment alone
        yield env


def course_notebooks(names: Sequence[str] = ()) -> list[Path]:
    if names:
        paths = [Path(name).resolve() for name in names]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            sys.exit("no such notebook: " + ", ".join(missing))
        return paths
    return sorted(COURSE.glob("*.ipynb"))


def cmd_course(args: Sequence[str]) -> int:
    python = ensure_venv("course")
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return run([python, "-m", "jupyterlab", f"--ServerApp.root_dir={COURSE}", *as_root, *args], cwd=ROOT)


def cmd_test(args: Sequence[str]) -> int:
    python = ensure_venv("test")
    pytest_cmd = [
        python,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        SANITIZE_FILE.relative_to(ROOT),
        *args,
    ]
    started = time.monotonic()
    with isolated_environment() as env:
        code = run(pytest_cmd, cwd=ROOT, env=env)
    log(f"pytest finished in {time.monotonic() - started:.0f} s with exit code {code}")
    if code == 5:
        log("pytest collected no tests: that is a failure of the suite, not a pass")
    return code


def cmd_notebooks(args: Sequence[str]) -> int:
    python = ensure_venv("test")
    notebooks = course_notebooks(args)
    if not notebooks:
        sys.exit("no notebooks found in course/")
    with isolated_environment() as env:
        for notebook in notebooks:
            started = time.monotonic()
            code = run([python, Path(__file__), "execute-one", notebook], cwd=ROOT, env=env)
            if code != 0:
                log(f"{notebook.name} failed; it was left as it was")
                return code
            log(f"{notebook.name} re-executed in {time.monotonic() - started:.1f} s")
    return 0


def cmd_execute_one(args: Sequence[str]) -> int:
    """Internal, run by `notebooks` with the .venv Python: execute one notebook and save it.

    Like `jupyter nbconvert --execute --inplace`, plus what keeps re-execution diffs down to what
    really changed: no per-cell timestamps, no widget state (JupyterLab does not use it; a widget
    is only live with a kernel), merged prints and stable widget ids (see the helpers below).
    """
    import nbformat
    from nbclient import NotebookClient

    (path,) = (Path(arg) for arg in args)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    notebook.metadata.pop("widgets", None)  # not store_widget_state=False: Output widgets need it
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    stabilize_widget_ids(notebook, path.stem)
    nbformat.write(notebook, path)
    return 0


def merge_streams(outputs: list) -> list:
    """Consecutive prints to one stream as one output, as JupyterLab shows them.

    How the kernel's text arrives in chunks varies from run to run.
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def stabilize_widget_ids(notebook, stem: str) -> None:
    """Replace the random widget model ids in outputs by ids derived from their order."""
    stable_ids: dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                if view["model_id"] not in stable_ids:
                    seed = f"{stem}:{len(stable_ids)}".encode()
                    stable_ids[view["model_id"]] = hashlib.sha256(seed).hexdigest()[:32]
                view["model_id"] = stable_ids[view["model_id"]]


def cmd_lint(args: Sequence[str]) -> int:
    python = ensure_venv("test")
    return run([python, "-m", "ruff", "check", *(args or ["."])], cwd=ROOT)


def cmd_site(args: Sequence[str]) -> int:
    """The website from the executed notebooks, or `site links`: README links and install cells."""
    return run([ensure_venv("docs"), "-m", "docs", *args], cwd=ROOT)


COMMANDS = {
    "course": cmd_course,
    "test": cmd_test,
    "notebooks": cmd_notebooks,
    "lint": cmd_lint,
    "site": cmd_site,
    "execute-one": cmd_execute_one,
}


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
