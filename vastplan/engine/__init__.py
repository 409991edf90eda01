"""The plan/apply engine: refresh, compare, order, lower, plan, and execute the steps of a plan.

See docs/internals.md for the modules and the contracts between them.
"""
