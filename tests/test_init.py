"""`gx-clova init`: into an empty directory and into a user's existing GX project, then checkpoints run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cli_inprocess import Ran, run_cli

from gx_clova.gx.suites import suite_json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def cli(*args: str, cwd: str) -> Ran:
    return run_cli(*args, cwd=cwd)


def script(tmp_path, body: str) -> subprocess.CompletedProcess:
    # A script file, not -c (with pyspark installed, -c can exit 0 silently), and no
    # `import gx_clova` unless the body says so.
    path = tmp_path / "probe.py"
    path.write_text(body, encoding="utf-8")
    return subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_init_into_an_empty_directory_then_a_checkpoint_runs(tmp_path):
    repo = tmp_path / "repo"
    result = cli("init", str(repo), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "created the GX project" in result.stdout
    gx_dir = repo / "gx"
    config = (gx_dir / "great_expectations.yml").read_text(encoding="utf-8")
    assert "expectations_store_name: clova_expectations_store" in config and "ClovaSiteBuilder" in config
    assert sorted(f for f in os.listdir(gx_dir / "expectations") if f.endswith(".json")) == ["clova_classification.json", "clova_generation.json"]
    assert (gx_dir / "checkpoints" / "clova_generation_local.json").is_file()

    broken = cli("checkpoint", "clova_generation_local", os.path.join(EXAMPLES, "broken.csv"), "--project", str(repo),
                 "--format", "json", cwd=str(tmp_path))
    assert broken.returncode == 1, broken.stderr
    assert json.loads(broken.stdout)["failures"][0]["code"] == "file.format"
    good = cli("checkpoint", "clova_classification_local", os.path.join(EXAMPLES, "classification.csv"),
               "--project", str(repo), cwd=str(tmp_path))
    assert good.returncode == 0, good.stdout + good.stderr
    site = gx_dir / "uncommitted" / "data_docs" / "gx_clova_site"
    pages = [p for p in site.rglob("*.html") if "validations" in p.parts]
    assert len(pages) == 2 and "Content-Security-Policy" in pages[0].read_text(encoding="utf-8")

    again = cli("init", str(repo), cwd=str(tmp_path))
    assert again.returncode == 0 and "updated the GX project" in again.stdout
    assert "expectations store:" not in again.stdout, "a second init adds nothing twice"


USER_PROJECT = """
import great_expectations as gx, great_expectations.expectations as gxe
from great_expectations.checkpoint import UpdateDataDocsAction
context = gx.get_context(mode="file", project_root_dir={repo!r})
source = context.data_sources.add_pandas("warehouse")
asset = source.add_csv_asset("orders", filepath_or_buffer={orders!r})
batch = asset.add_batch_definition_whole_dataframe("all")
suite = context.suites.add(gx.ExpectationSuite(name="orders_suite"))
suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="id"))
suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=2, max_value=10))
definition = context.validation_definitions.add(gx.ValidationDefinition(name="orders_def", data=batch, suite=suite))
checkpoint = context.checkpoints.add(gx.Checkpoint(name="orders_checkpoint", validation_definitions=[definition],
                                                   actions=[UpdateDataDocsAction(name="docs")]))
print("before:", checkpoint.run().success)
"""

AFTER_INIT = """
import sys, great_expectations as gx, pandas as pd
assert "gx_clova" not in sys.modules
context = gx.get_context(mode="file", project_root_dir={repo!r})
assert "gx_clova" in sys.modules, "opening the project imports the plugin (guarded store)"
print("theirs:", context.checkpoints.get("orders_checkpoint").run().success)
print("their suite:", len(context.suites.get("orders_suite").expectations))
print("our suite:", len(context.suites.get("clova_generation").expectations))
# Their own code, their own DataFrame, our checkpoint:
frame = pd.read_csv({train!r}, dtype=str, keep_default_na=False)
result = context.checkpoints.get("clova_generation_local").run(batch_parameters={{"dataframe": frame}})
print("ours:", result.success)  # GX's own verdict is gx-clova's: warnings do not fail it
"""


@pytest.mark.slow
def test_init_into_an_existing_gx_project_keeps_theirs_and_adds_ours(tmp_path):
    repo = tmp_path / "repo"
    orders = tmp_path / "orders.csv"
    orders.write_text("id,amount\n1,10\n2,20\n3,30\n", encoding="utf-8")
    made = script(tmp_path, USER_PROJECT.format(repo=str(repo), orders=str(orders)))
    assert made.returncode == 0 and "before: True" in made.stdout, made.stderr[-2000:]
    before = (repo / "gx" / "great_expectations.yml").read_text(encoding="utf-8")

    result = cli("init", str(repo), "--task", "generation", cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "updated the GX project" in result.stdout
    config = (repo / "gx" / "great_expectations.yml").read_text(encoding="utf-8")
    assert "expectations_store:" in config and "clova_expectations_store:" in config
    assert "warehouse:" in config and "local_site:" in config, "their datasource and site stay"
    assert "warehouse:" in before
    assert sorted(f for f in os.listdir(repo / "gx" / "expectations") if f.endswith(".json")) == ["clova_generation.json", "orders_suite.json"]

    after = script(tmp_path, AFTER_INIT.format(repo=str(repo), train=os.path.join(EXAMPLES, "generation.csv")))
    assert after.returncode == 0, after.stderr[-3000:]
    lines = dict(line.split(": ", 1) for line in after.stdout.strip().splitlines())
    ours_count = str(len(suite_json("generation")["expectations"]))
    assert lines == {"theirs": "True", "their suite": "2", "our suite": ours_count, "ours": "True"}, after.stdout

    ours = cli("checkpoint", "clova_generation_local", os.path.join(EXAMPLES, "broken.csv"), "--project", str(repo),
               cwd=str(tmp_path))
    assert ours.returncode == 1 and "row.too-long" in ours.stdout, ours.stderr


@pytest.mark.parametrize("setup, message", [
    ("file", "is not a directory"),
    ("s3_store", "is not on the filesystem"),
    ("broken_yaml", "cannot read"),
    ("sql_datasource", "is not a pandas datasource"),
])
def test_init_refuses_what_it_cannot_adopt_with_exit_2(tmp_path, setup, message):
    target = tmp_path / "target"
    if setup == "file":
        target.write_text("x", encoding="utf-8")
    else:
        target.mkdir()
        backend = "TupleS3StoreBackend\n      bucket: b" if setup == "s3_store" else "TupleFilesystemStoreBackend"
        text = (
            "config_version: 4\nstores:\n  expectations_store:\n    class_name: ExpectationsStore\n"
            f"    store_backend:\n      class_name: {backend}\n"
            "expectations_store_name: expectations_store\n"
            "fluent_datasources:\n  gx_clova:\n    type: sql\n    connection_string: sqlite://\n"
            if setup in ("s3_store", "sql_datasource") else "stores: [unclosed\n"
        )
        (target / "great_expectations.yml").write_text(text, encoding="utf-8")
    result = cli("init", str(target), cwd=str(tmp_path))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr and "Traceback" not in result.stderr
