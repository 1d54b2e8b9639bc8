"""gx-clova: prove a HyperCLOVA X tuning dataset meets the CLOVA Studio spec before it is uploaded.

The public surface is small and pinned by ``tests/test_exported_members.py``::

    from gx_clova import validate
    report = validate("train.csv", task="generation")   # -> Report
    report.success, report.failures[0].code, report.failures[0].lines

Exceptions (programmer and environment errors; data failures are results, not exceptions)::

    Exception
    ├── SourceError           the dataset's bytes could not be read (exit status 3)
    └── SuiteIntegrityError   a suite lost expectations between file and memory

Names resolve lazily: ``import gx_clova`` does not import Great Expectations (the submitter and
the reader stay light); ``gx_clova.validate`` does, on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "CATALOGUE": "gx_clova.codes",
    "Finding": "gx_clova.findings",
    "Report": "gx_clova.report",
    "SourceError": "gx_clova.sources",
    "SuiteIntegrityError": "gx_clova.gx.project",
    "validate": "gx_clova.validation",
}

__all__ = sorted(["__version__", *_EXPORTS])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gx_clova' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
