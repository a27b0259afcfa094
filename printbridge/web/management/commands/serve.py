"""`printbridge serve [ADDRESS]`: Django's development server (with static files), answering without Nagle's delay.

Django's runserver leaves TCP_NODELAY off. On keep-alive connections (how BigCommerce and the emulator deliver
webhooks) each response then waits for the client's delayed ACK: about 50 ms per webhook instead of about 5 ms
(measured, see BENCHMARKS.md). In production run Printbridge under a WSGI server; this serves the demo, the tests
and the benchmarks.
"""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.servers import basehttp


class Command(RunserverCommand):
    help = "Run the web app: Django's development server, with TCP_NODELAY on its connections."

    def get_handler(self, *args, **options):
        # The app's own CSS and htmx are static files: serve them whatever DEBUG says (this is not a production
        # server; in production a web server in front serves STATIC_ROOT).
        return super().get_handler(*args, **{**options, "insecure_serving": True})

    def inner_run(self, *args, **options):
        # basehttp.run builds its server with this handler class; this process is the server and nothing else.
        basehttp.WSGIRequestHandler.disable_nagle_algorithm = True
        return super().inner_run(*args, **options)
