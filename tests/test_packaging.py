"""The package builds into one wheel that works on its own, and the code base is lint-clean.

The wheel is built from a clean copy of the checkout (the files git tracks), as a fresh clone
would build it, and installed into a new virtual environment that borrows only the dependencies
(numpy, matplotlib, ...) from this one, so the import must come from the wheel.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from checkout import copy_clean_checkout

import autodiff_nb

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ("nn", "losses", "viz", "explore", "widgets", "exercises")


def run(command: list, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run `command`; its standard output, or a failure showing everything it printed."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel . --no-deps` from a clean copy of the checkout; the one file it built."""
    work = tmp_path_factory.mktemp("packaging")
    source = copy_clean_checkout(work / "source")
    dist = work / "dist"
    run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-cache-dir",
         "--disable-pip-version-check", "-w", dist], cwd=source)  # fmt: skip
    built = sorted(dist.iterdir())
    expected = f"autodiff_nb-{autodiff_nb.__version__}-py3-none-any.whl"
    assert [path.name for path in built] == [expected]
    return built[0]


def test_wheel_holds_the_whole_package_and_nothing_else(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    dist_info = f"autodiff_nb-{autodiff_nb.__version__}.dist-info/"
    assert {name.split("/")[0] + "/" for name in names} == {"autodiff_nb/", dist_info}
    assert "autodiff_nb/py.typed" in names
    for subpackage in SUBPACKAGES:
        assert f"autodiff_nb/{subpackage}/__init__.py" in names, subpackage
    tracked = subprocess.run(["git", "ls-files", "autodiff_nb"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    missing = {name for name in tracked if name.endswith(".py")} - names
    assert not missing, f"modules left out of the wheel: {sorted(missing)}"
    assert not [name for name in names if name.endswith(".ipynb") or "__pycache__" in name]


def test_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.message_from_bytes(
            archive.read(f"autodiff_nb-{autodiff_nb.__version__}.dist-info/METADATA")
        )
    assert metadata["Name"] == "autodiff_nb"
    assert metadata["Version"] == autodiff_nb.__version__
    assert metadata["Requires-Python"] == ">=3.10"
    required = {requirement.split(">")[0].split("=")[0].split(";")[0].strip()
                for requirement in metadata.get_all("Requires-Dist")}
    assert {"numpy", "matplotlib", "ipywidgets", "graphviz"} <= required


def test_installed_wheel_works_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             cwd=tmp_path).strip())
    # The dependencies come from this environment's site-packages: a path line in a .pth file adds
    # that folder after the venv's own, and the .pth files there (this checkout's editable
    # install among them) are not run.
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "--no-compile",
         "--disable-pip-version-check", "--no-cache-dir", wheel], cwd=tmp_path)  # fmt: skip

    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    probe = (
        "import autodiff_nb, autodiff_nb.nn, autodiff_nb.viz, autodiff_nb.widgets, autodiff_nb.exercises; "
        "print(autodiff_nb.__file__)"
    )
    location = Path(run([python, "-c", probe], cwd=tmp_path, env=env).strip())
    assert location.is_relative_to(site_packages), f"imported from {location}, not from the wheel"
    assert (location.parent / "py.typed").is_file()

    report = run([python, "-m", "autodiff_nb"], cwd=tmp_path, env=env)
    assert report.startswith(f"autodiff_nb {autodiff_nb.__version__} "), report
    assert "graphviz:" in report
    assert "course:   not installed with the package" in report  # no course/ beside the wheel


def test_ruff_finds_nothing() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
