"""``python -m briefing``: the command line."""

from .cli import main

raise SystemExit(main())
