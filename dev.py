#!/usr/bin/env python3
"""One entry point for working on autodiff_nb (standard library only, Python 3.10+).

    python3 dev.py course      # set up .venv and open your copy of the course in JupyterLab
    python3 dev.py test        # set up .venv and run every test: unit, strict nbval, browser
    python3 dev.py notebooks   # re-execute every course notebook in place (fresh kernel each)
    python3 dev.py lint        # ruff over the package, tests and notebooks
    python3 dev.py headers     # every chapter's title, previous/next links and section numbers in one style
    python3 dev.py site        # build the course website into _site/html (`site links`: docs/)

`course` opens my-course/, your own copy of course/: git ignores it, so your runs and answers never
conflict with a `git pull`. The first run makes it; later runs copy chapters that are new or updated
in course/, except over a chapter you changed: that one is only reported, and
`python3 dev.py course --fresh` replaces it after moving your version to my-course/backups/.
Delete a chapter from my-course/ to get a clean copy of it on the next run.

Extra arguments after `test` go to pytest (e.g. `python3 dev.py test -m "not browser" -x`);
after `notebooks` they name the notebooks to re-execute (default: all of course/*.ipynb);
after `course` (and `--fresh`) they go to JupyterLab.
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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
COURSE = ROOT / "course"
MY_COURSE = ROOT / "my-course"  # the learner's working copy; in .gitignore
SANITIZE_FILE = ROOT / "tests" / "nbval-sanitize.cfg"
STAMP = VENV / "autodiff_nb-install.json"
LAB_SETTINGS = VENV / "course-lab-settings"  # JupyterLab app settings for `course` (overrides.json)
MIN_PYTHON = (3, 10)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HOME_LEVEL_DIRS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "MPLCONFIGDIR")
# No "would you like to get Jupyter news?" toast and no update check (both would reach the internet).
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                                 "checkForUpdates": False}}


def log(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(cmd: Sequence[str | os.PathLike[str]], must_pass: bool = False, **kwargs) -> int:
    log("$ " + " ".join(str(part) for part in cmd))
    with subprocess.Popen([str(part) for part in cmd], **kwargs) as child:
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:
                # The child got the same Ctrl+C: let it stop in its own way (pytest tears its
                # fixtures down, JupyterLab asks to confirm) instead of killing it.
                continue
    if must_pass and code != 0:
        sys.exit(f"[dev.py] command failed with exit code {code}")
    return code


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_is_usable() -> bool:
    probe = f"import sys; raise SystemExit(sys.version_info[:2] < {MIN_PYTHON})"
    return venv_python().exists() and subprocess.call([str(venv_python()), "-c", probe]) == 0


def ensure_venv(extra: str) -> Path:
    """Create .venv if needed and make sure `-e .[extra]` is installed; quick when it already is."""
    if sys.version_info[:2] < MIN_PYTHON:
        sys.exit(f"autodiff_nb needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {sys.version}")
    if not venv_is_usable():
        log(f"step 1 of 2: creating {VENV.relative_to(ROOT)} with {sys.executable}")
        shutil.rmtree(VENV, ignore_errors=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as error:
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit(f"could not create {VENV} ({error}). On Debian/Ubuntu the venv module needs "
                     "`sudo apt-get install python3-venv`.")
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()  # what pip would install
    stamp = json.loads(STAMP.read_text()) if STAMP.exists() else {}
    extras = set(stamp.get("extras", [])) if stamp.get("key") == key else set()
    if extra not in extras:
        log(f"step 2 of 2: installing autodiff_nb and its {extra} dependencies into .venv "
            "(a minute or so the first time; pip reports each package as it goes)")
        started = time.monotonic()
        run([venv_python(), "-m", "pip", "install", "--disable-pip-version-check", "-e", f".[{extra}]"],
            must_pass=True, cwd=ROOT)
        STAMP.write_text(json.dumps({"key": key, "extras": sorted(extras | {extra})}))
        log(f"installed .[{extra}] in {time.monotonic() - started:.0f} s")
    return venv_python()


def isolated_env(scratch: Path, base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``base`` with every HOME-level setting of Jupyter, IPython and matplotlib moved under ``scratch``.

    Tests and notebook runs get exactly this (from `dev.py test` and `dev.py notebooks`, or from
    conftest.py under a plain `pytest`), so stored outputs and recomputed ones come from the same
    settings: matplotlib's default inline backend among them (MPLBACKEND is removed, never forced to
    Agg), and fixed set and dict-of-str orders (PYTHONHASHSEED)."""
    env = dict(base)
    env.pop("MPLBACKEND", None)
    for name in HOME_LEVEL_DIRS:
        env[name] = str(scratch / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    env.update(
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONHASHSEED="0",
        PYDEVD_DISABLE_FILE_VALIDATION="1",  # silences debugpy's frozen-modules warning
        AUTODIFF_NB_ISOLATED=str(scratch),  # conftest.py then leaves the environment alone
    )
    return env


@contextmanager
def scratch_env() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="autodiff_nb-") as scratch:
        yield isolated_env(Path(scratch))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_working_copy(source: Path, work: Path, fresh: bool = False) -> list[str]:
    """Bring the learner's copy ``work`` of the notebooks in ``source`` up to date, losing nothing.

    A chapter missing from ``work`` is copied, and so is a newer version of one the learner has not
    changed. A newer version of one they have changed replaces it only when ``fresh`` is true, after
    their version is moved to ``work/backups/``; otherwise it is only reported.
    ``work/.copied-from.json`` records the digest of each chapter as it was copied.
    Returns what happened, one line per chapter copied, updated or waiting."""
    record = work / ".copied-from.json"
    work.mkdir(exist_ok=True)
    copied = json.loads(record.read_text()) if record.exists() else {}
    said = []
    for chapter in sorted(source.glob("*.ipynb")):
        mine, new = work / chapter.name, digest(chapter)
        if mine.exists() and copied.get(chapter.name) == new:
            continue  # up to date
        if not mine.exists():
            said.append(f"{chapter.name}: copied")
        elif digest(mine) == new:
            pass  # the same bytes already (e.g. the record was lost)
        elif digest(mine) == copied.get(chapter.name):
            said.append(f"{chapter.name}: updated (you had not changed it)")
        elif not fresh:
            said.append(f"{chapter.name}: course/ has a newer version and yours has changes; "
                        "`python3 dev.py course --fresh` brings it in and keeps yours in backups/")
            continue
        else:
            backup = work / "backups" / f"{chapter.stem}.{time.strftime('%Y-%m-%dT%H-%M-%S')}.ipynb"
            backup.parent.mkdir(exist_ok=True)
            mine.replace(backup)
            said.append(f"{chapter.name}: updated; your version is now {backup.relative_to(work.parent)}")
        shutil.copy2(chapter, mine)
        copied[chapter.name] = new
    record.write_text(json.dumps(copied, indent=1, sort_keys=True) + "\n")
    return said


def prepare_course(fresh: bool = False) -> list[str]:
    """Bring my-course/ up to date and write the JupyterLab settings; the JupyterLab arguments."""
    first_run = not MY_COURSE.exists()
    for line in sync_working_copy(COURSE, MY_COURSE, fresh=fresh):
        log(line)
    if first_run:
        log(f"made {MY_COURSE.name}/, your own copy of course/: your runs and answers are saved there")
    LAB_SETTINGS.mkdir(parents=True, exist_ok=True)
    (LAB_SETTINGS / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=1) + "\n")
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [f"--ServerApp.root_dir={MY_COURSE}", f"--LabApp.app_settings_dir={LAB_SETTINGS}", *as_root]


def cmd_course(args: Sequence[str]) -> int:
    python = ensure_venv("course")
    lab_args = prepare_course(fresh="--fresh" in args)
    return run([python, "-m", "jupyterlab", *lab_args, *(arg for arg in args if arg != "--fresh")], cwd=ROOT)


def cmd_test(args: Sequence[str]) -> int:
    python = ensure_venv("test")
    started = time.monotonic()
    with scratch_env() as env:
        code = run([python, "-m", "pytest", "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                    SANITIZE_FILE.relative_to(ROOT), *args], cwd=ROOT, env=env)
    log(f"pytest finished in {time.monotonic() - started:.0f} s with exit code {code}")
    if code == 5:
        log("pytest collected no tests: that is a failure of the suite, not a pass")
    return code


def cmd_notebooks(args: Sequence[str]) -> int:
    python = ensure_venv("test")
    notebooks = [Path(name).resolve() for name in args] or sorted(COURSE.glob("*.ipynb"))
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing or not notebooks:
        sys.exit("no such notebook: " + ", ".join(missing) if missing else "no notebooks found in course/")
    with scratch_env() as env:
        for notebook in notebooks:
            started = time.monotonic()
            if run([python, Path(__file__), "execute-one", notebook], cwd=ROOT, env=env) != 0:
                log(f"{notebook.name} failed; it was left as it was")
                return 1
            log(f"{notebook.name} re-executed in {time.monotonic() - started:.1f} s")
    return 0


def cmd_execute_one(args: Sequence[str]) -> int:
    """Internal, run by `notebooks` with the .venv Python: execute one notebook and save it.

    Like `jupyter nbconvert --execute --inplace`, plus what keeps re-execution diffs down to what
    really changed: no per-cell timestamps, no widget state (JupyterLab does not use it; a widget
    is only live with a kernel), merged prints, stable widget ids, and the kernelspec JupyterLab
    itself writes on opening (so a committed notebook is not "modified" as soon as it is opened).
    """
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    (path,) = (Path(arg) for arg in args)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=600, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    spec = KernelSpecManager().get_kernel_spec("python3")
    notebook.metadata["kernelspec"] = {"display_name": spec.display_name, "language": spec.language,
                                       "name": "python3"}
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
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
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


def cmd_headers(args: Sequence[str]) -> int:
    """Rewrite the chapters' headers from the course table (tools/course_headers.py); --check only reports."""
    sys.path.insert(0, str(ROOT))
    from tools import course_headers

    return course_headers.main(args, COURSE)


def cmd_lint(args: Sequence[str]) -> int:
    return run([ensure_venv("test"), "-m", "ruff", "check", *(args or ["."])], cwd=ROOT)


def cmd_site(args: Sequence[str]) -> int:
    """The website from the executed notebooks, or `site links`: README links and install cells."""
    return run([ensure_venv("docs"), "-m", "docs", *args], cwd=ROOT)


COMMANDS = {
    "course": cmd_course,
    "test": cmd_test,
    "notebooks": cmd_notebooks,
    "lint": cmd_lint,
    "headers": cmd_headers,
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
