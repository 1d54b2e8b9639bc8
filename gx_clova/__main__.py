"""``python -m gx_clova`` is ``gx-clova``."""

try:
    from gx_clova.cli import main
except KeyboardInterrupt:  # Ctrl-C (or SIGINT) while starting up: nothing written yet
    import sys

    print("gx-clova: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
