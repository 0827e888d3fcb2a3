"""WSGI entry point, used by gunicorn (``tuoyu.config.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuoyu.config.settings")
application = get_wsgi_application()
