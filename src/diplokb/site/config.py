"""The diplokb plugin's options, as ``mkdocs.yml`` sets them under ``plugins: - diplokb:``."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from ..render.copy import copy_text, site_name_problem


class SiteName(c.Type[str]):
    """The site's name: text, refused where it holds markup (the theme prints it unescaped)."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        name = super().run_validation(value)
        why = site_name_problem(name)
        if why is not None:
            raise ValidationError(why)  # MkDocs names the option: "Plugin 'diplokb' option 'site_name': ..."
        return name


class KbConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' Config.__init_subclass__ is untyped
    content_dir = c.Type(str, default="content")
    """Folder holding ``topics/*.yaml``, relative to ``mkdocs.yml``."""
    seeds_dir = c.Type(str, default="seeds")
    """Folder holding the essays (``*.txt``) and the optional ``essays.yaml``."""
    set_nav = c.Type(bool, default=True)
    """Build the navigation from the topics and essays (unless ``nav`` is set in ``mkdocs.yml``)."""
    knowledge_json = c.Type(str, default="knowledge.json")
    """Where the machine-readable export goes in the site; empty to skip it."""
    require_references = c.Type(bool, default=False)
    """A case study without ``references:`` is an error (stops the build) rather than a warning."""
    site_name = SiteName(default=copy_text("site_name"))
    """The site's name, in its header, every page title and every citation; it replaces ``site_name`` of ``mkdocs.yml``."""
    require_decisions = c.Type(bool, default=False)
    """A section under review (no editor's decision yet, the router unsure) stops the build."""
    cache_dir = c.Type(str, default=".cache/diplokb")
    """Where compiled templates are kept between builds, relative to ``mkdocs.yml``; empty to keep none."""
