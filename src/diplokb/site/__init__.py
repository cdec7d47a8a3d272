"""The MkDocs adapter: the only code that imports MkDocs.

:mod:`.plugin` maps MkDocs' events to the pipeline and hands it the rendered pages in memory;
:mod:`.staging` builds beside ``site_dir`` and swaps the site in only on success (and makes
rebuilds under ``mkdocs serve`` cheap); :mod:`.pages` turns rendered pages into MkDocs pages;
:mod:`.searchindex` makes their search entries; :mod:`.journal` undoes a failed in-place rebuild.

May import: anything in diplokb but ``diplokb.commands``.
"""
