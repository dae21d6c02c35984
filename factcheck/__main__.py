"""``python -m factcheck`` runs the command line."""

import sys

try:
    from factcheck.cli import run
except KeyboardInterrupt:  # Ctrl-C while the libraries load
    sys.stderr.write("factcheck: interrupted\n")
    sys.exit(130)

run()
