"""`python -m bot` is the `policywatch` command."""

import sys

from bot.cli.main import main

sys.exit(main())
