"""Built-in pipelines register like plugins, and every stage notebook matches its pipeline."""
import json

import pytest

from workbench.pipelines.registry import all_pipelines, get

BUILTINS = ("ai_usage", "aml")


def test_builtins_register_through_the_entry_point_group():
    from importlib.metadata import entry_points

    eps = {ep.name: ep.value for ep in entry_points(group="workbench.pipelines")}
    assert eps.get("builtin") == "workbench.pipelines:register_pipelines"
    assert set(BUILTINS) <= set(all_pipelines())


@pytest.mark.parametrize("name", BUILTINS)
def test_stage_notebooks_exist_and_declare_every_parameter(name):
    p = get(name)
    assert p.samples is not None, "every built-in pipeline ships sample data"
    for stage in p.stages:
        assert stage.notebook.is_file(), stage.notebook
        nb = json.loads(stage.notebook.read_text())
        params_cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        src = "".join(params_cell["source"])
        for field in ["run_id", "workspace", "inputs", "model", *p.params.model_fields]:
            assert f"{field} =" in src, f"{stage.notebook.name} does not declare {field}"
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert f'"{stage.name}"' in code or f"'{stage.name}'" in code, "notebook opens another stage"
