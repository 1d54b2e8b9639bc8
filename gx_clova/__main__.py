"""``python -m gx_clova`` is ``gx-clova``."""

from gx_clova.cli import main

raise SystemExit(main())
