"""vastplan.sim: a stateful simulator of the VAST VMS REST API (DESIGN §8; user guide: docs/simulator.md).

Entry points:

- ``Simulator()`` / ``Simulator.open_file(path)``: in memory, or persisted in a JSON file (``sim://FILE``);
  ``sim.handle(method, url, headers, body)`` answers one request; ``sim.adapter()`` is a ``requests``
  transport for ``session.mount(...)``.
- ``serve(...)`` / ``run_serve(...)``: the same over HTTP or HTTPS (``vastplan sim serve``).

Layout (after moto): ``backend.py`` and ``model/`` hold the state and the VMS's rules with no HTTP;
``request.py``, ``routes.py``, ``handlers/``, ``validation.py``, ``listing.py``, ``authn.py`` and ``http.py``
are the thin HTTP layer; ``control.py``, ``faults.py`` and ``calls.py`` the control API; ``store.py`` the
persistence; ``adapter.py`` and ``server.py`` the transports.
"""

from vastplan.sim.adapter import SimAdapter
from vastplan.sim.backend import SimBackend
from vastplan.sim.errors import SimError, SimServerError, SimStateFileError
from vastplan.sim.http import SimResponse
from vastplan.sim.server import SimServer, run_serve, serve
from vastplan.sim.simulator import Simulator

__all__ = [
    "SimAdapter",
    "SimBackend",
    "SimError",
    "SimResponse",
    "SimServer",
    "SimServerError",
    "SimStateFileError",
    "Simulator",
    "run_serve",
    "serve",
]
