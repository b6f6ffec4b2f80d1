"""The `policywatch` command line: argument parsing in `main`, one module per verb.

`main()` maps every known error to one line on stderr and an exit code, in one place.
"""

from bot.cli.main import main

__all__ = ["main"]
