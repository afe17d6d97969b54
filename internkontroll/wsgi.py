import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")
application = get_wsgi_application()
# The URLs import every view and what they use (about a second of CPU): now, once, rather than
# in each worker process's first request.
import_module(settings.ROOT_URLCONF)
