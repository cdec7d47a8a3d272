"""``python -m diplokb``: the ``diplokb`` command."""

from __future__ import annotations

from diplokb.commands.cli import main

raise SystemExit(main())
