"""The public surface is pinned: adding or removing a name is a deliberate change here."""

from __future__ import annotations

import subprocess
import sys

import gx_clova


def test_all_is_sorted_and_pinned():
    assert gx_clova.__all__ == sorted(gx_clova.__all__)
    assert gx_clova.__all__ == ["CATALOGUE", "Finding", "Report", "SourceError", "SuiteIntegrityError",
                                "__version__", "validate"]


def test_every_exported_name_resolves():
    for name in gx_clova.__all__:
        assert getattr(gx_clova, name) is not None, name


def test_importing_the_package_does_not_import_great_expectations(tmp_path):
    script = tmp_path / "probe.py"  # a script, not -c: with pyspark installed, -c can exit 0 silently
    script.write_text("import sys, gx_clova, gx_clova.sources, gx_clova.codes\n"
                      "print('great_expectations' in sys.modules)\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr
