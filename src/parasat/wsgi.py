import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parasat.settings")
application = get_wsgi_application()

# Before the server hands this process a request: load what the first one
# would otherwise pay for (the URLs, the views, the catalogues, the templates).
from parasat.core.lib.warmup import warm_up  # noqa: E402 — needs the application's setup

warm_up()
