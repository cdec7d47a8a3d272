"""Stages 1-4 of the pipeline: parse -> model -> route -> link.

Each is a function of what the stages before it returned, never reaching back: :mod:`.sources`
and :mod:`.parse` (essays -> sections), :mod:`.model` (topic YAML -> topics and case studies,
with :mod:`.provenance` checking quotes and references), :mod:`.route` (sections -> topics),
:mod:`.link` (one index of pages and anchors; mentions, related topics, backlinks).

May import: ``diplokb.errors``, ``diplokb.text``, ``diplokb.content``, ``diplokb.urls``,
``diplokb.match``, ``diplokb.cache``. Never a renderer, the adapter or the command line.
"""
