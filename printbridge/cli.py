"""`printbridge COMMAND …`: the Django management commands, plus friendlier aliases.

printbridge migrate            set up or upgrade the database
printbridge demo               seed a demo account and run web + worker + scheduler, printing URL and login
printbridge serve              the web server on 127.0.0.1:8000
printbridge worker             the task worker (django-tasks-db's db_worker)
printbridge scheduler          periodic work (delayed approvals released when due)
printbridge seed-demo          create the demo account, user, store and sample orders
"""

import os
import sys

ALIASES = {
    "serve": ["serve", "--noreload"],
    "worker": ["db_worker"],
    "seed-demo": ["seed_demo"],
    "create-account": ["create_account"],
    "create-api-token": ["create_api_token"],
    "connect-bigcommerce": ["connect_bigcommerce"],
    "rotate-keys": ["rotate_keys"],
}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "printbridge.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args = [args[0], *ALIASES[args[1]], *args[2:]]
    if len(args) > 1 and args[1] == "serve" and len(args) == 3 and args[2] == "--noreload":
        args.append("127.0.0.1:8000")
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
