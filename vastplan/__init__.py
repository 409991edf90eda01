"""vastplan: Terraform-style plan/apply for VAST Data clusters.

The public Python API lives in :mod:`vastplan.api`; the VMS REST client in :mod:`vastplan.client`;
the VMS simulator in :mod:`vastplan.sim`.
"""

__version__ = "0.1.0"
