"""``module_name: gx_clova.project`` in a project's ``great_expectations.yml`` (written by
``gx-clova init``) names this module; the store lives in :mod:`gx_clova.gx.project`."""

from gx_clova.gx.project import ClovaExpectationsStore, SuiteIntegrityError

__all__ = ["ClovaExpectationsStore", "SuiteIntegrityError"]
