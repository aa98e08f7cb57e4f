"""The README's code examples run and print what the README says they print."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples_run(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    namespace: dict = {}
    exec("import numpy as np", namespace)
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed[:3] == ["24.0 12.0 14.0", "12.0", "(2, 2)"]
    assert printed[3].startswith("gradcheck passed")
    assert namespace["loss"].item() < 0.05  # the two-moons example actually trains
