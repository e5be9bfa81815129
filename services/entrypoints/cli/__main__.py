"""`python -m services.entrypoints.cli`: the same as `dixian`."""

import sys

from services.entrypoints.cli import main

sys.exit(main())
