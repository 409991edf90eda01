"""The parts of :mod:`vastplan.engine.executor`, one job per module.

- ``steps``: plan steps as typed values, and the dependency graph they form;
- ``refs``: ``{"$ref": "ADDRESS.FIELD"}`` values and their resolution;
- ``retry``: the retry policy and how a failure is classified;
- ``events``: the progress events and the guarded callback;
- ``report``: the per-step results and the apply report;
- ``runner``: one step, with its retries, lookups and tolerated errors;
- ``scheduler``: the dependency-ordered, bounded-parallel run of all steps.

Users import from :mod:`vastplan.engine.executor`; these modules are internal.
"""
