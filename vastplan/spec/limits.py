"""Bounds on spec input, so that a hostile or broken file costs a clear error instead of the machine's memory.

A spec of a very large cluster (tens of thousands of views) is a few megabytes of YAML with a few hundred
thousand values; the limits sit well above that and well below what hurts.
"""

from __future__ import annotations

#: Largest spec file read, in bytes.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: Most entries (objects) in all files together.
MAX_OBJECTS = 200_000

#: Most values (scalars, lists and mappings, counting every expansion of a YAML alias) in one document.
#: This is what defeats "billion laughs" alias bombs: expansion is counted, not performed.
MAX_VALUES = 5_000_000

#: Deepest nesting of lists and mappings in one document. A valid spec nests about six levels deep.
MAX_DEPTH = 64

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_OBJECTS", "MAX_VALUES"]
