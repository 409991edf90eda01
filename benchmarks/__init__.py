"""Measured performance of vastplan, the Manila driver and the in-tree VAST driver, side by side.

Run ``python -m benchmarks.run`` (``--quick`` for small sizes); the results go to ``docs/performance.md``.
See that page for what each benchmark measures and how.
"""
