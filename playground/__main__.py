"""`python -m playground`: the same as `python main.py`."""
import sys

from playground.cli import main

if __name__ == "__main__":
    sys.exit(main())
