"""The root of every error a user can cause or meet.

Each package keeps its own tree under :class:`VastplanError`, drawn in its module docstring:

    VastplanError
    ├── vastplan.client.errors.VmsError ...      talking to the VMS (connection, auth, API errors)
    ├── vastplan.spec.errors.SpecError           invalid spec files (every problem, with file/line/path)
    ├── vastplan.planfile.PlanFileError          unreadable, invalid or tampered plan files
    └── vastplan.engine.errors.EngineError ...   stale plans, refused data loss, failed applies

``str(error)`` is always a message fit for a terminal: what went wrong and where, never a credential.
The command line prints it and exits 1; it never shows a traceback for these.
"""

from __future__ import annotations


class VastplanError(Exception):
    """Base class of every error vastplan raises on purpose."""
