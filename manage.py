#!/usr/bin/env python
"""Django's command-line utility; the same as `motcua manage …`.

With neither MOTCUA_SECRET_KEY nor DATABASE_URL set it runs on the embedded default (demo
mode, data in ./var), like the `motcua` command.
"""

import sys

if __name__ == "__main__":
    from motcua.cli import cmd_manage

    sys.exit(cmd_manage(sys.argv[1:]))
