import sys

from motcua.cli import main

sys.exit(main())
