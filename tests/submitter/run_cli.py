"""Run ``gx-clova submit|status`` in a fresh interpreter, with the stand-in validator.

Used by the tests that need a whole process's output (stdout, stderr, exit status).
"""

import sys

import stub_validation  # this script's folder is sys.path[0]

sys.modules["gx_clova.validation"] = stub_validation

from gx_clova.cli.submit import run  # noqa: E402

sys.exit(run(sys.argv[1:]))
