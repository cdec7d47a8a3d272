"""Caches that make a rebuild under ``mkdocs serve`` cheap, owned by whoever runs the pipeline.

The plugin keeps one :class:`BuildCache` for a serve session and a CLI run makes a fresh one;
stages get it as an argument and never keep state of their own. Each cache holds one entry per
source file (its current version, replaced when the file changes) or a few recent keys, so
memory stays flat over any number of saves.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The ``size`` most recently used entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._d: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key in self._d:
            self._d.move_to_end(key)
            return self._d[key]
        return None

    def put(self, key: K, value: V) -> V:
        self._d[key] = value
        self._d.move_to_end(key)
        while len(self._d) > self.size:
            self._d.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._d)


@dataclass
class BuildCache:
    """What one build can reuse from the last: keyed by file path, checked by content."""

    # essay path -> (content digest, parsed essay, notes about the file)
    parsed: dict[str, tuple[str, Any, list[Any]]] = field(default_factory=dict)
    # topic or metadata file path -> (text, composed YAML node)
    composed: dict[str, tuple[str, Any]] = field(default_factory=dict)
    # essay path -> (essay object, normalised text, marks, quotes located) for locating quotes
    quotes: dict[str, tuple[Any, str, list[tuple[int, int, int]], dict[str, Any]]] = field(default_factory=dict)
    # (what was scanned for, essay path) -> (key of the term list, essay object, per-section results)
    scans: dict[tuple[str, str], tuple[Any, Any, list[Any]]] = field(default_factory=dict)
    # term list -> compiled matcher (a few: topics and entities, and the versions being edited)
    matchers: Recent[Any, Any] = field(default_factory=lambda: Recent(4))
    # topic file path -> (its text and options, the topic loaded, what loading it reported)
    loaded: dict[str, tuple[Any, Any, list[list[Any]]]] = field(default_factory=dict)
    # Whole results, kept for the next build only when ``keep`` (a serve session; a one-off build
    # would only hold on to them longer):
    keep: bool = False
    # stage name -> (what it was given, what it returned): the last result of a whole stage
    stages: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # page maker -> (what the page read, the page, its problems)
    pages: dict[Any, tuple[Any, Any, tuple[Any, ...]]] = field(default_factory=dict)

    def stage(self, name: str, key: Any, make: Callable[[], V]) -> V:
        """``make()``, or what it returned last time if ``key`` equals the last key (compared with ``==``).

        Keys hold the inputs themselves (tuples of essays, topics...), never their ids: an unchanged
        essay is the same object, so the comparison is quick, and a changed one compares by value."""
        if not self.keep:
            return make()
        hit = self.stages.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]  # type: ignore[no-any-return]
        value = make()
        self.stages[name] = (key, value)
        return value

    def replay(self, path: str, key: Any, make: Callable[[], V], *logs: list[Any]) -> V:
        """``make()``, which appends to each of ``logs``; while ``key`` (the file's text) is the same, what
        it returned is returned again and what it appended is appended again."""
        hit = self.loaded.get(path)
        if hit is not None and hit[0] == key:
            for log, added in zip(logs, hit[2], strict=True):
                log.extend(added)
            return hit[1]  # type: ignore[no-any-return]
        starts = [len(log) for log in logs]
        value = make()
        self.loaded[path] = (key, value, [log[n:] for log, n in zip(logs, starts, strict=True)])
        return value

    def matcher(self, key: Any, make: Callable[[], V]) -> V:
        """The matcher compiled for this term list, made once while the list is unchanged."""
        hit = self.matchers.get(key)
        return hit if hit is not None else self.matchers.put(key, make())  # type: ignore[no-any-return]

    def per_section(self, what: str, key: Any, essay: Any, fn: Callable[[Any], V]) -> list[V]:
        """``fn`` of every section of ``essay``, reused while the parsed essay and ``key`` are the same."""
        hit = self.scans.get((what, essay.path))
        if hit is not None and hit[0] == key and hit[1] is essay:
            return hit[2]
        out = [fn(s) for s in essay.sections]
        self.scans[(what, essay.path)] = (key, essay, out)
        return out

    def forget(self, present: set[str]) -> None:
        """Drop entries of files that are gone."""
        for d in (self.parsed, self.composed, self.quotes, self.loaded):
            for k in [k for k in d if k not in present]:
                del d[k]
        for key in [key for key in self.scans if key[1] not in present]:
            del self.scans[key]
