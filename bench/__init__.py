"""Benchmarks of diplokb: a synthetic corpus generator (:mod:`bench.corpus`) and the timing harness (:mod:`bench.run`)."""
