import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsend.config.settings")
application = get_wsgi_application()
# Every view is imported now rather than on the first request: a worker takes requests ready,
# and under gunicorn (preload_app) the workers are forked with everything already imported.
get_resolver().url_patterns  # noqa: B018 - importing the URLconf is the point
