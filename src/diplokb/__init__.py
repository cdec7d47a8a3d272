"""diplokb: plain-text essays and topic YAML -> a cross-linked knowledge base of military diplomacy.

The package is laid out as the pipeline runs (see ARCHITECTURE.md). From the bottom up; each
may import only what is listed above it, never a package at its own level or higher:

- ``errors``, ``text``: one exception root with located problems; text helpers.
- ``content/``: what the editors' files hold and how they are read and written safely (the schema
  of topic files, the shape of a parsed essay, file and YAML policies).
- ``urls``, ``match``, ``cache``: page paths and URLs, the term matcher, the caches a caller owns.
- ``stages/``: parse -> model -> route -> link, each a function of what the one before returned.
- ``render/``: stage 5, the pages (HTML blocks with their links), and the exports made from them.
- ``pipeline``, ``assets``: the stages run in order; the theme folder the renderers add.
- ``site/`` (the MkDocs adapter, the only code that imports MkDocs) and ``commands/`` (the
  ``diplokb`` command): the two ways the pipeline is run. Neither imports the other.

``tests/test_architecture.py`` holds these directions.
"""
