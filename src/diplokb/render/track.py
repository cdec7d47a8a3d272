"""What a page read from the knowledge base, so that a rebuild can tell whether the page would change.

A page builder is handed a view of the knowledge base instead of the knowledge base: it reads
through it as usual, and every read (an attribute, a dictionary entry, a membership test, a method
call, a whole dictionary) is noted with the value it gave, in a tree that follows the objects read
(:class:`Reads`). On the next build, :func:`unchanged` repeats those reads on the new knowledge
base: where it meets the very object read last time it stops (stage results are immutable), and
otherwise each read must give an equal value; then the page is the same and its last rendering is
reused. A page reads what it depends on through the view (modules' constants aside), so a changed
input shows up as a changed read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

_NONE = ("<missing>",)  # what a missing key reads as (a tuple: comparable, never a real value)

# ("attr", name) | ("attr", name, Args) | ("item", key) | ("get", key) | ("in", key) | ("all", None) | ("idx", i) | ("len", None)
Step = tuple[Any, ...]


class Reads:
    """The reads made of one object: values read from it (``leaf``) and objects reached through it (``kids``)."""

    __slots__ = ("kids", "leaf", "obj")

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.leaf: dict[Step, Any] = {}
        self.kids: dict[Step, Reads] = {}


class Tracker:
    """One page build's reads, with the views it handed out (each read is noted once)."""

    def __init__(self, obj: Any, deep: tuple[type, ...]) -> None:
        self.root = Reads(obj)
        self.deep = deep
        self.memo: dict[tuple[int, Step], Any] = {}

    def view(self) -> Any:
        return View(self, self.root)

    def read(self, node: Reads, step: Step, value: Any) -> Any:
        """What reading ``value`` through ``step`` of ``node`` hands back: a view to read into, or the value (noted)."""
        key = (id(node), step)
        hit = self.memo.get(key, _NONE)
        if hit is not _NONE:
            return hit
        deep = self.deep
        if isinstance(value, deep):
            out: Any = View(self, self._kid(node, step, value))
        elif isinstance(value, dict):
            out = MapView(self, self._kid(node, step, value))
        elif callable(value) and hasattr(value, "__self__"):
            out = Call(self, node, step, value)
        elif isinstance(value, list) and value and all(isinstance(x, deep) for x in value):
            kid = self._kid(node, step, value)
            kid.leaf[("len", None)] = len(value)
            out = [View(self, self._kid(kid, ("idx", i), x)) for i, x in enumerate(value)]
        else:
            node.leaf[step] = value
            out = value
        self.memo[key] = out
        return out

    @staticmethod
    def _kid(node: Reads, step: Step, value: Any) -> Reads:
        kid = node.kids.get(step)
        if kid is None:
            kid = node.kids[step] = Reads(value)
        return kid


class _Proxy:
    """Reads of one object, noted in its node of the tracker's tree."""

    __slots__ = ("_node", "_t")

    def __init__(self, tracker: Tracker, node: Reads) -> None:
        self._t, self._node = tracker, node


class View(_Proxy):
    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return self._t.read(self._node, ("attr", name), getattr(self._node.obj, name))


class Args:
    """A method call's arguments as part of a read's key: the same objects (essays are not hashable)."""

    __slots__ = ("args",)

    def __init__(self, args: tuple[Any, ...]) -> None:
        self.args = args

    def __hash__(self) -> int:
        return hash(tuple(map(id, self.args)))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Args)
            and len(other.args) == len(self.args)
            and all(a is b for a, b in zip(self.args, other.args, strict=True))
        )


class Call:
    __slots__ = ("_fn", "_node", "_step", "_t")

    def __init__(self, tracker: Tracker, node: Reads, step: Step, fn: Callable[..., Any]) -> None:
        self._t, self._node, self._step, self._fn = tracker, node, step, fn

    def __call__(self, *args: Any) -> Any:
        out = self._fn(*args)
        self._node.leaf[(*self._step, Args(args))] = out  # ("attr", name, args)
        return out


class MapView(_Proxy):
    """A dictionary read through: entries, membership and whole-dictionary reads are noted."""

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        d = self._node.obj
        if key not in d:
            self._node.leaf[("get", key)] = _NONE
        return self._t.read(self._node, ("item", key), d[key])

    def get(self, key: Any, default: Any = None) -> Any:
        d = self._node.obj
        if key not in d:
            self._node.leaf[("get", key)] = _NONE
            return default
        return self._t.read(self._node, ("item", key), d[key])

    def __contains__(self, key: Any) -> bool:
        found = key in self._node.obj
        self._node.leaf[("in", key)] = found
        return found

    def _all(self) -> dict[Any, Any]:
        self._node.leaf[("all", None)] = self._node.obj
        return self._node.obj  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def keys(self) -> Any:
        return self._all().keys()

    def values(self) -> Any:
        return self._all().values()

    def items(self) -> Any:
        return self._all().items()


def _step(obj: Any, step: Step) -> Any:
    kind = step[0]
    if kind == "attr":
        out = getattr(obj, step[1])
        return out(*step[2].args) if len(step) == 3 else out
    if kind in ("item", "idx"):
        return obj[step[1]]
    if kind == "get":
        return obj.get(step[1], _NONE)
    if kind == "in":
        return step[1] in obj
    if kind == "len":
        return len(obj)
    return obj  # "all": the object itself


def unchanged(new: Any, reads: Reads) -> bool:
    """Whether every read in ``reads`` gives an equal value on ``new`` (what stands where ``reads.obj`` stood).

    On success the reads are moved onto the new objects, so a reused page keeps no old object alive."""
    if new is reads.obj:
        return True
    try:
        for step, old in reads.leaf.items():
            value = _step(new, step)
            if value is not old and value != old:
                return False
            reads.leaf[step] = value
        for step, kid in reads.kids.items():
            if not unchanged(_step(new, step), kid):
                return False
    except (KeyError, IndexError, AttributeError, TypeError):
        return False
    reads.obj = new
    return True
