#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siinas.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from siinas.env import configuration_error_exit

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 — read the settings now: a bad value is one clear line, not a traceback
    except ImproperlyConfigured as exc:
        configuration_error_exit(exc)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
