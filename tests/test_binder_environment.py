"""The Binder environment, built as repo2docker builds it, runs the whole course.

When a repository has a binder/ folder, repo2docker (what mybinder.org runs) reads only that
folder: it apt-installs binder/apt.txt, takes the Python of binder/runtime.txt, runs
`pip install -r binder/requirements.txt` from the repository root, then binder/postBuild. There
is no docker here, so this test does the same in a fresh virtual environment over a clean copy
of the checkout (tracked files only). It checks what a learner's JupyterLab on Binder needs (dot
from apt.txt, the ipywidgets 8 front end) and runs every chapter under strict nbval there.

About 75 s on two cores (most of it pip and nbval); deselect with -m "not binder".
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from checkout import copy_clean_checkout

pytestmark = pytest.mark.binder

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NBVAL = [
    "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
    "--nbval-sanitize-with", "tests/nbval-sanitize.cfg",
]  # fmt: skip
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class BinderEnvironment:
    checkout: Path  # the clean copy, with the package installed from it
    python: Path  # the environment's Python
    env: dict[str, str]  # its PATH first, HOME and every per-user dir private

    def run(self, args: Sequence[str | os.PathLike[str]], timeout: float = 300,
            env: dict[str, str] | None = None) -> str:
        """Run a command in the environment from the checkout root; its output, or a failure."""
        done = subprocess.run(
            [str(arg) for arg in args], cwd=self.checkout, env=env or self.env, timeout=timeout,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}"
        return done.stdout

    def python_says(self, code: str) -> str:
        return self.run([self.python, "-c", code]).strip()

    def pip_install(self, *args: str) -> str:
        """This session's pip installs into the environment (it has none of its own: seconds faster).

        pip keeps the real HOME, where its configuration (index, wheel folders) lives; it writes
        nothing there: no cache, no version check.
        """
        command = [sys.executable, "-m", "pip", "--python", self.python, "install", "--no-cache-dir",
                   "--disable-pip-version-check", "--no-compile", *args]  # modules compile when imported
        env = dict(self.env)
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env.pop(name)
            if name in os.environ:
                env[name] = os.environ[name]
        return self.run(command, timeout=600, env=env)


def python_for_runtime_txt() -> tuple[str, Path]:
    """binder/runtime.txt's version and a local Python of that version (or this one, with a warning)."""
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", runtime)
    assert match, f"binder/runtime.txt should read like python-3.11, not {runtime!r}"
    wanted = match.group(1)
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here == wanted:
        return wanted, Path(sys.executable)
    candidate = shutil.which(f"python{wanted}")
    if candidate:
        probe = subprocess.run([candidate, "-c", "import sys, venv; print(sys.version[:5])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.startswith(wanted):
            return wanted, Path(candidate)
    message = f"binder/runtime.txt asks for Python {wanted}; none found here, so Python {here} builds it"
    print(message)
    warnings.warn(message, stacklevel=1)
    return wanted, Path(sys.executable)


def isolated_env(home: Path, venv: Path) -> dict[str, str]:
    """This environment with the venv first on PATH and HOME and every per-user dir under `home`."""
    env = dict(os.environ, HOME=str(home), VIRTUAL_ENV=str(venv), AUTODIFF_NB_ISOLATED=str(home))
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "MPLCONFIGDIR",
                 "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        env[name] = str(home / name.lower())
        Path(env[name]).mkdir(parents=True)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    for name in ("MPLBACKEND", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)  # bytecode is written: the kernels of nbval import the same modules 13 times
    return env


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BinderEnvironment]:
    work = tmp_path_factory.mktemp("binder")
    checkout = copy_clean_checkout(work / "repo")
    wanted, base_python = python_for_runtime_txt()
    venv = work / "venv"
    subprocess.run([base_python, "-m", "venv", "--without-pip", venv], check=True)  # see pip_install
    environment = BinderEnvironment(checkout, venv / "bin" / "python", isolated_env(work / "home", venv))
    assert environment.python_says("import sys; print(sys.prefix)") == str(venv)
    assert environment.python_says("import sys; print(sys.version)").startswith(wanted)

    environment.pip_install("-r", "binder/requirements.txt")
    post_build = checkout / "binder" / "postBuild"
    if post_build.exists():
        assert post_build.read_text().startswith("#!"), "binder/postBuild needs a shebang line"
        assert os.access(post_build, os.X_OK), "binder/postBuild must be executable (git mode 100755)"
        environment.run([post_build], timeout=600)
    # The test tools, once the Binder environment is complete: the versions this session runs.
    tools = [f"{name}=={importlib.metadata.version(name)}" for name in ("pytest", "nbval")]
    environment.pip_install(*tools)
    try:
        yield environment
    finally:
        shutil.rmtree(work, ignore_errors=True)  # about 450 MB


def test_binder_folder_has_what_repo2docker_reads() -> None:
    assert (BINDER / "runtime.txt").is_file()
    requirements = (BINDER / "requirements.txt").read_text().splitlines()
    assert {"-e .", "."} & {line.strip() for line in requirements}, (
        "binder/requirements.txt must install the course package itself (`-e .` or `.`): "
        "repo2docker ignores pyproject.toml when binder/ exists"
    )
    apt = [line.strip() for line in (BINDER / "apt.txt").read_text().splitlines()]
    assert "graphviz" in apt, "binder/apt.txt must list graphviz: it provides `dot`"


def test_readme_badge_opens_a_chapter_on_binder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"https://mybinder\.org/v2/gh/[^)\s]*\?urlpath=lab/tree/([^)\s&]+)", readme)
    assert badge, "README.md has no Binder badge that opens JupyterLab on a notebook"
    assert (ROOT / badge.group(1)).is_file(), f"the Binder badge opens {badge.group(1)}, which does not exist"


def test_package_is_installed_from_the_checkout(binder_env: BinderEnvironment) -> None:
    location = binder_env.python_says("import autodiff_nb; print(autodiff_nb.__file__)")
    assert Path(location).is_relative_to(binder_env.checkout), location
    binder_env.run([sys.executable, "-m", "pip", "--python", binder_env.python, "check"])


def test_graphs_are_drawn_by_the_dot_of_apt_txt(binder_env: BinderEnvironment) -> None:
    # apt.txt's graphviz: on this machine .ci/run (or the developer) installed it with apt.
    dot = shutil.which("dot", path=binder_env.env["PATH"])
    assert dot, "no `dot` on PATH: apt-get install graphviz (what binder/apt.txt asks for)"
    venv = binder_env.python.parent.parent
    assert not Path(dot).resolve().is_relative_to(venv), f"{dot} comes from pip, not from apt"
    assert "graphviz version" in binder_env.run([dot, "-V"])
    report = binder_env.run([binder_env.python, "-m", "autodiff_nb"])
    assert "graphviz: system dot" in report, report


def test_widgets_have_their_jupyterlab_front_end(binder_env: BinderEnvironment) -> None:
    versions = binder_env.python_says(
        "from importlib.metadata import version as v; "
        "print(v('ipywidgets'), v('jupyterlab_widgets'), v('jupyterlab'))"
    ).split()
    ipywidgets, jupyterlab_widgets, jupyterlab = (version.split(".")[0] for version in versions)
    assert (ipywidgets, jupyterlab_widgets, jupyterlab) == ("8", "3", "4"), versions
    listing = binder_env.run([binder_env.python, "-m", "jupyter", "labextension", "list"])
    listing = ANSI_ESCAPE.sub("", listing)
    manager = [line for line in listing.splitlines() if "@jupyter-widgets/jupyterlab-manager" in line]
    assert manager, listing
    assert re.search(r"v5\.\d+\.\d+\s+enabled\s+OK", manager[0]), manager[0]


def test_whole_course_passes_strict_nbval_in_the_binder_environment(binder_env: BinderEnvironment) -> None:
    course = binder_env.checkout / "course"
    chapters = sorted(path.relative_to(binder_env.checkout) for path in course.glob("*.ipynb"))
    assert chapters
    # The chapters in two halves, each in its own pytest, so the two cores share the work.
    halves = [chapters[0::2], chapters[1::2]] if (os.cpu_count() or 1) > 1 else [chapters]
    runs = [
        subprocess.Popen([binder_env.python, *NBVAL, *half], cwd=binder_env.checkout, env=binder_env.env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for half in halves
    ]  # fmt: skip
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    for half, run, output in zip(halves, runs, outputs):
        assert run.returncode == 0, f"strict nbval failed for {[str(path) for path in half]}:\n{output}"
        assert re.search(r"\d+ passed", output.splitlines()[-1]), output
