"""The Great Expectations boundary: the only package of gx-clova that imports ``great_expectations``.

- :mod:`gx_clova.gx.metrics`: the GX metrics, generated from the rule registry;
- :mod:`gx_clova.gx.expectations`: the expectation classes (also ``gx_clova.expectations``);
- :mod:`gx_clova.gx.suites`: the suites, built from the registry;
- :mod:`gx_clova.gx.validation`: running a suite in GX and reading its result;
- :mod:`gx_clova.gx.project`: the GX project's expectations store and checkpoints (also ``gx_clova.project``);
- :mod:`gx_clova.gx.actions`: the checkpoint action that submits a tuning task (also ``gx_clova.actions``);
- :mod:`gx_clova.gx.docs`: Data Docs (also ``gx_clova.docs``);
- :mod:`gx_clova.gx.evaluate`: the evaluation scores as a GX validation and its Data Docs page.

The spec, the catalogue and registry, the kernels, reading, sources, report formats and the
submitter import none of it (``tests/test_boundaries.py``). Importing this package itself imports
nothing from GX; its modules do.
"""

from typing import Any


def severity_name(config: Any) -> str:
    """An expectation configuration's severity as a word (GX's default is critical); the suites
    write it into the direct path's plan and the validation reads it from each result."""
    severity = getattr(config, "severity", None) or "critical"
    return str(getattr(severity, "value", severity))
