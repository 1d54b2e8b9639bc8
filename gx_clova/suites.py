"""``python -m gx_clova.suites --write expectations``, as the README documents it; the suites are
built in :mod:`gx_clova.gx.suites`."""

from gx_clova.gx.suites import build_suite, expectations_for, main, suite_json, write_suites

__all__ = ["build_suite", "expectations_for", "main", "suite_json", "write_suites"]

if __name__ == "__main__":
    raise SystemExit(main())
