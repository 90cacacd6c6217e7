import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from siinas.env import configuration_error_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siinas.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # Exit code 4 is gunicorn's "worker failed to boot": the arbiter stops instead of respawning forever.
    configuration_error_exit(exc, code=4)
