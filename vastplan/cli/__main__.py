"""``python -m vastplan.cli``: the same as the ``vastplan`` command."""

import sys

from vastplan.cli import main

sys.exit(main())
