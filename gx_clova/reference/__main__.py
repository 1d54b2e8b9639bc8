"""``python -m gx_clova.reference --write docs``: regenerate docs/rules.md and docs/cli.md."""

from gx_clova.reference.files import main

raise SystemExit(main())
