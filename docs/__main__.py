"""``python -m docs [links]``, run by ``python3 dev.py site [links]``."""

import sys

from .build import main

sys.exit(main(sys.argv[1:]))
