"""What the plugin does to the interpreter to build faster leaves it as it found it where that matters."""

from __future__ import annotations

import gc

import pytest

from diplokb.site.staging import no_cycle_collection as _no_cycle_collection


@pytest.mark.parametrize("freeze", [False, True])
def test_cycle_collection_comes_back_after_the_pipeline(freeze: bool) -> None:
    """Off while the pipeline runs, on again after it (even when it fails); frozen objects only for a one-off build."""
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with pytest.raises(RuntimeError), _no_cycle_collection(freeze=freeze):
            assert not gc.isenabled()
            raise RuntimeError("a content error")
        assert gc.isenabled()
        assert (gc.get_freeze_count() > frozen) == freeze
    finally:
        gc.unfreeze()
