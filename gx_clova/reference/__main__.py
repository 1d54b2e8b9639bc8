"""``python -m gx_clova.reference --write docs``: regenerate docs/rules.md and docs/cli.md."""

from gx_clova.cli.reference import main

raise SystemExit(main())
