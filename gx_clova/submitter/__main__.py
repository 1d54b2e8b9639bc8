"""``python -m gx_clova.submitter submit|status …``: the two commands without the rest of gx-clova."""

import sys

from gx_clova.cli.submit import run

sys.exit(run())
