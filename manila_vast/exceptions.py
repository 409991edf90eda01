"""The driver's exceptions, in manila's tree (MANILA.md §4.2: out-of-tree drivers define their own,
subclassing ``ShareBackendException``; the ``Vast*`` exceptions in manila belong to the in-tree driver).

::

    manila.exception.ManilaException
    ├── ShareBackendException
    │   └── VastBackendError          the cluster refused or failed an operation; the message says why
    └── BadConfigurationException     an option of the backend section is missing or wrong (raised as is)
"""

from __future__ import annotations

from manila import exception
from manila.i18n import _

__all__ = ["VastBackendError"]


class VastBackendError(exception.ShareBackendException):  # type: ignore[misc]  # manila is untyped
    message = _("VAST backend error: %(msg)s")
