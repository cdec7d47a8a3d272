"""The ``diplokb`` command: the pipeline's stages from the command line.

:mod:`.cli` (check, parse, route, render, schema, new, suggest, serve), :mod:`.export` (``render
--out``: the site as a plain MkDocs project, and the safe reader of ``mkdocs.yml``), :mod:`.new`
(``new case-study``), :mod:`.suggest` (candidate case studies).

May import: anything in diplokb but ``diplokb.site`` (``serve`` runs MkDocs in a process of its own).
"""
