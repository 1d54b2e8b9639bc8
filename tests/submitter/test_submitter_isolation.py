"""The submitter stays light: importing it (and its command) never imports Great Expectations."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, pkgutil, sys
import gx_clova.submitter
import gx_clova.storage
import gx_clova.cli.submit
for module in pkgutil.iter_modules(gx_clova.submitter.__path__, "gx_clova.submitter."):
    if module.name != "gx_clova.submitter.__main__":
        __import__(module.name)
print(json.dumps({"great_expectations": "great_expectations" in sys.modules,
                  "pandas": "pandas" in sys.modules,
                  "imported": sorted(m for m in sys.modules if m.startswith("gx_clova"))}))
"""


def test_importing_the_submitter_does_not_import_great_expectations(tmp_path):
    script = tmp_path / "import_submitter.py"  # a file, not -c: with pyspark installed, -c can exit 0 silently
    script.write_text(SCRIPT)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(result.stdout)
    assert found["great_expectations"] is False
    assert found["pandas"] is False
    assert "gx_clova.cli.submit" in found["imported"] and "gx_clova.submitter.pipeline" in found["imported"]
