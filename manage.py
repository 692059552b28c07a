#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A settings problem (a missing secret key, a bad variable) is the operator's to fix: say what, no traceback.
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
