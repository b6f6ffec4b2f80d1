"""`python -m bot` is the `policywatch` command."""

import sys

from bot.cli import main

sys.exit(main())
