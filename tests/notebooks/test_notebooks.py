"""Every notebook under notebooks/ (and the toy pipeline's) is stored clean and runs alone with nbval."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
TOY = sorted((ROOT / "tests" / "toy_pipeline" / "notebooks").glob("*.ipynb"))
ALL = NOTEBOOKS + TOY


def _id(p: Path) -> str:
    return str(p.relative_to(ROOT))


def test_there_are_notebooks():
    assert TOY, "the toy pipeline's notebooks are missing"


@pytest.mark.parametrize("nb_path", ALL, ids=_id)
def test_stored_without_outputs_and_with_parameters(nb_path):
    nb = json.loads(nb_path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "no code cells"
    for c in code:
        assert not c.get("outputs"), f"cell stored with outputs: {''.join(c['source'])[:60]!r}"
        assert c.get("execution_count") is None, "cell stored with an execution count"
    first = code[0]
    assert "parameters" in first.get("metadata", {}).get("tags", []), "first code cell not tagged"
    src = "".join(first["source"])
    for name in ("run_id", "workspace"):
        assert f"{name} =" in src, f"parameters cell lacks {name}"


@pytest.mark.parametrize("nb_path", ALL, ids=_id)
def test_runs_alone_with_nbval(nb_path, tmp_path, toy_env):
    env = {**toy_env, "WORKBENCH_HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "--nbval-lax", "--nbval-current-env", str(nb_path)],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900,
                       check=False)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert " passed" in r.stdout
