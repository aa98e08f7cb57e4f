"""dev.py: the one isolated environment, the learner's working copy, the course session's JupyterLab
settings, and the kernelspec that `dev.py notebooks` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import dev

COURSE_NOTEBOOKS = sorted(dev.COURSE.glob("*.ipynb"))


def test_isolated_env_moves_every_home_level_setting_to_the_scratch_dir(tmp_path):
    base = {"HOME": "/home/someone", "MPLBACKEND": "Agg", "PATH": "/usr/bin"}
    env = dev.isolated_env(tmp_path, base)
    assert base == {"HOME": "/home/someone", "MPLBACKEND": "Agg", "PATH": "/usr/bin"}  # not changed
    assert "MPLBACKEND" not in env and env["PATH"] == "/usr/bin"
    for name in dev.HOME_LEVEL_DIRS:
        assert Path(env[name]).is_dir() and Path(env[name]).parent == tmp_path
    assert env["PYTHONHASHSEED"] == "0" and env["AUTODIFF_NB_ISOLATED"] == str(tmp_path)


def test_this_session_runs_in_the_isolated_environment():
    """Whether started by `dev.py test` or by a plain `pytest` (conftest.py), the same settings."""
    scratch = Path(os.environ["AUTODIFF_NB_ISOLATED"])
    assert os.environ == dev.isolated_env(scratch, os.environ)


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.fixture
def course(tmp_path):
    source = tmp_path / "course"
    source.mkdir()
    write(source / "00_a.ipynb", "a1")
    write(source / "01_b.ipynb", "b1")
    return source, tmp_path / "my-course"


def test_first_run_copies_every_chapter(course):
    source, work = course
    assert dev.sync_working_copy(source, work) == ["00_a.ipynb: copied", "01_b.ipynb: copied"]
    assert (work / "00_a.ipynb").read_text() == "a1" and (work / "01_b.ipynb").read_text() == "b1"
    assert dev.sync_working_copy(source, work) == []  # nothing new: nothing to say


def test_new_and_updated_chapters_arrive_unless_the_learner_changed_them(course):
    source, work = course
    dev.sync_working_copy(source, work)
    write(work / "01_b.ipynb", "b1 with my answers")
    write(source / "00_a.ipynb", "a2")
    write(source / "01_b.ipynb", "b2")
    write(source / "02_c.ipynb", "c1")
    said = dev.sync_working_copy(source, work)
    assert said[0] == "00_a.ipynb: updated (you had not changed it)"
    assert said[1].startswith("01_b.ipynb: course/ has a newer version and yours has changes")
    assert said[2] == "02_c.ipynb: copied"
    assert (work / "00_a.ipynb").read_text() == "a2"
    assert (work / "01_b.ipynb").read_text() == "b1 with my answers"
    assert not (work / "backups").exists()
    assert len(dev.sync_working_copy(source, work)) == 1  # still waiting, still said


def test_fresh_replaces_a_changed_chapter_after_backing_it_up(course):
    source, work = course
    dev.sync_working_copy(source, work)
    write(work / "01_b.ipynb", "b1 with my answers")
    write(source / "01_b.ipynb", "b2")
    (said,) = dev.sync_working_copy(source, work, fresh=True)
    (backup,) = (work / "backups").iterdir()
    assert backup.read_text() == "b1 with my answers" and backup.name.startswith("01_b.")
    assert said == f"01_b.ipynb: updated; your version is now my-course/backups/{backup.name}"
    assert (work / "01_b.ipynb").read_text() == "b2"
    assert dev.sync_working_copy(source, work, fresh=True) == []


def test_a_deleted_chapter_comes_back_clean(course):
    source, work = course
    dev.sync_working_copy(source, work)
    (work / "00_a.ipynb").unlink()
    assert dev.sync_working_copy(source, work) == ["00_a.ipynb: copied"]


def test_a_learner_change_to_an_unchanged_chapter_is_left_alone(course):
    source, work = course
    dev.sync_working_copy(source, work)
    write(work / "00_a.ipynb", "my notes")
    assert dev.sync_working_copy(source, work, fresh=True) == []
    assert (work / "00_a.ipynb").read_text() == "my notes"


def test_my_course_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "my-course/00_how_to_use.ipynb"], cwd=dev.ROOT)
    assert ignored.returncode == 0


def test_course_session_opens_the_working_copy_without_the_news_toast(course, tmp_path, monkeypatch):
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    source, work = course
    monkeypatch.setattr(dev, "COURSE", source)
    monkeypatch.setattr(dev, "MY_COURSE", work)
    monkeypatch.setattr(dev, "LAB_SETTINGS", tmp_path / "lab-settings")
    lab_args = dev.prepare_course()
    assert f"--ServerApp.root_dir={work}" in lab_args and (work / "00_a.ipynb").exists()
    flag = "--LabApp.app_settings_dir="
    (settings_dir,) = (arg.removeprefix(flag) for arg in lab_args if arg.startswith(flag))
    user_settings = tmp_path / "user-settings"  # empty: a learner who never changed a setting
    user_settings.mkdir()
    plugin = "@jupyterlab/apputils-extension:notification"
    found, _ = get_settings(settings_dir, str(Path(get_app_dir()) / "schemas"), str(user_settings), plugin)
    defaults = {name: spec["default"] for name, spec in found["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False


@pytest.mark.parametrize("notebook", COURSE_NOTEBOOKS, ids=lambda path: path.name)
def test_committed_notebooks_carry_the_kernelspec_jupyterlab_writes(notebook):
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.display_name == "Python 3 (ipykernel)"
    kernelspec = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert kernelspec == {"display_name": spec.display_name, "language": "python", "name": "python3"}, (
        f"re-execute it with `python3 dev.py notebooks {notebook.relative_to(dev.ROOT)}`")


def test_execute_one_writes_outputs_and_the_kernelspec_and_is_repeatable(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.cells = [nbformat.v4.new_code_cell("print('one')\nprint('two')"),
                      nbformat.v4.new_code_cell("6 * 7")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(notebook, path)

    def execute() -> str:
        subprocess.run([sys.executable, dev.ROOT / "dev.py", "execute-one", path], check=True, timeout=120)
        return path.read_text()

    first = execute()
    assert execute() == first  # byte for byte
    done = nbformat.reads(first, as_version=4)
    assert done.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    assert [output.text for output in done.cells[0].outputs] == ["one\ntwo\n"]  # one merged stream
    assert done.cells[1].outputs[0].data["text/plain"] == "42"
    assert [cell.execution_count for cell in done.cells] == [1, 2]
