"""An OpenStack Manila share driver for VAST Data clusters, built on vastplan's plan/apply engine.

Load it in a manila-share backend section with::

    share_driver = manila_vast.driver.VASTShareDriver
    driver_handles_share_servers = False

Modules (each with one job; only :mod:`manila_vast.driver`, :mod:`manila_vast.options` and
:mod:`manila_vast.exceptions` import manila or oslo):

=====================  ===================================================================================
``layout``             where a share lives on the cluster: paths, names, VIPs and export locations
``access``             manila access rules → view-policy host lists (validation, CIDRs, squash)
``targets``            spec documents (DESIGN §4) for each driver operation
``ensure``             classify the live objects of many shares at once: in sync, repairable, broken
``repair``             apply ``ensure``'s repairs together, keeping one share's failure to that share
``stats``              capacity metrics and quotas → the scheduler's capability dict
``clones``             shares from snapshots: the clone stream's name and what its state means
``manage``             ``manage_existing`` and ``manage_existing_snapshot``: what may be taken over, its size
``snapshot_access``    mountable snapshots: which snapshot access rules VAST can honour
``backend``            the only module that talks to the cluster, through vastplan's client and engine
``options``            the oslo.config options (a contract, DESIGN §9) and ``list_opts`` for the generator
``exceptions``         the driver's exceptions (manila's ``ShareBackendException`` family)
``driver``             ``VASTShareDriver``: a thin adapter from manila's calls to the modules above
=====================  ===================================================================================
"""

#: Reported as ``driver_version`` and part of ``get_backend_info``: a new version re-runs ``ensure_shares``.
DRIVER_VERSION = "2.1"
