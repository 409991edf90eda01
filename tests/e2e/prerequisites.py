"""What the end-to-end suite needs from the machine, and why it is skipped when something is missing.

``VASTPLAN_E2E`` chooses: unset or ``auto`` runs the suite when everything is there and skips it (with the
reason) otherwise; ``require`` turns a missing prerequisite into a failure (CI, after ``.ci/e2e-setup.sh``);
``skip`` (or ``0``) skips it. ``VASTPLAN_E2E_DRIVER=dummy`` runs the stack with manila's own dummy driver
instead of ours, to tell a harness problem from a driver problem.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

#: Programs of the Debian packages the stack runs, and the package that brings each.
DEBIAN_PROGRAMS = {
    "epmd": "rabbitmq-server",
    "mariadbd": "mariadb-server",
    "mariadb-install-db": "mariadb-server",
    "mariadb": "mariadb-server",
}
RABBITMQ_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
#: Python modules, and the distribution to ``pip install`` for each.
PYTHON_MODULES = {
    "manila": "manila",
    "manilaclient": "python-manilaclient",
    "pymysql": "pymysql",
    "trustme": "trustme",
}
MANILA_SCRIPTS = ("manila-manage", "manila-scheduler", "manila-share")
SYSTEM_DIRS = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")


def mode() -> str:
    value = os.environ.get("VASTPLAN_E2E", "auto").strip().lower()
    return {"0": "skip", "no": "skip", "false": "skip", "1": "require", "": "auto"}.get(value, value)


def driver_kind() -> str:
    kind = os.environ.get("VASTPLAN_E2E_DRIVER", "vast").strip().lower()
    if kind not in ("vast", "dummy"):
        raise ValueError(f"VASTPLAN_E2E_DRIVER must be 'vast' or 'dummy', not {kind!r}")
    return kind


def program(name: str) -> str | None:
    """A system program by name, also where root's PATH is not set (sbin)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in SYSTEM_DIRS:
        candidate = Path(folder, name)
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def manila_script(name: str) -> Path:
    """A manila console script of the environment that runs the tests."""
    return Path(sys.executable).with_name(name)


def missing() -> list[str]:
    """Every missing prerequisite, as a phrase that says how to get it."""
    problems: list[str] = []
    packages = sorted({pkg for prog, pkg in DEBIAN_PROGRAMS.items() if program(prog) is None})
    if not RABBITMQ_SERVER.exists() and "rabbitmq-server" not in packages:
        packages.append("rabbitmq-server")
    if packages:
        problems.append(f"Debian packages {', '.join(packages)} (run .ci/e2e-setup.sh)")
    modules = [dist for module, dist in PYTHON_MODULES.items() if importlib.util.find_spec(module) is None]
    if modules:
        problems.append(f"Python packages {', '.join(modules)} (pip install them)")
    elif not all(manila_script(name).exists() for name in MANILA_SCRIPTS):
        problems.append(f"manila's console scripts beside {sys.executable}")
    if os.geteuid() != 0:
        problems.append("root (the broker and the database run as their own system users)")
    return problems


def skip_reason() -> str | None:
    """Why the suite cannot or must not run here, or None when it runs. Under ``require`` the caller
    fails the tests with this reason instead of skipping them."""
    wanted = mode()
    if wanted == "skip":
        return "end-to-end suite switched off (VASTPLAN_E2E=skip)"
    if wanted not in ("auto", "require"):
        raise ValueError(f"VASTPLAN_E2E must be auto, require or skip, not {wanted!r}")
    gaps = missing()
    return "manila end-to-end suite needs " + "; ".join(gaps) if gaps else None
