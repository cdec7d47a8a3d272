"""The theme folder: the templates, stylesheet and script the plugin adds to Material, and the export writes out.

Shared by the MkDocs adapter (:mod:`diplokb.site.plugin`) and the exporter
(:mod:`diplokb.commands.export`); it names files and imports nothing.
"""

from __future__ import annotations

from pathlib import Path

THEME_DIR = Path(__file__).parent / "theme"  # the plugin's templates and assets
CSS = "assets/diplokb.css"
JS = "assets/diplokb.js"  # names Material's link-preview dialogs (see the file)
