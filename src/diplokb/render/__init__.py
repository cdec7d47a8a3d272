"""Stage 5, render: the linked knowledge base -> pages (HTML blocks and headings, each with its links).

:mod:`.renderer` is the stage: it makes a :class:`~.context.Context` and hands it to the page
builders (:mod:`.pages`, :mod:`.indexes`, :mod:`.summary`), which draw with :mod:`.markup`,
:mod:`.timeline` and :mod:`.graph`. :mod:`.nav` and :mod:`.knowledge` make the navigation and
``knowledge.json`` from what the stages returned. Nothing here imports MkDocs: any renderer can
take the pages.

May import: everything below it (``errors``, ``text``, ``content``, ``urls``, ``match``,
``cache``, ``stages``). Never the adapter or the command line.
"""
