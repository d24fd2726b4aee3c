"""The `vsend` command: Django's management commands under vsend's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsend.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vsend", *sys.argv[1:]])


if __name__ == "__main__":
    main()
