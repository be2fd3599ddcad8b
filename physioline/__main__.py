"""`python -m physioline`: the same entry point as the `physioline` command."""

import sys

from physioline.cli import main

sys.exit(main())
