import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vsend.audit.services import system_actor
from vsend.demo.loader import load_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo authority, its settings, children and accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print the accounts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo refuses to run when VSEND_ENV=production: it creates accounts with a "
                "published password."
            )
        password = settings.VSEND_DEMO_PASSWORD
        actor = system_actor("vsend demo")
        accounts = load_demo(password, actor=actor)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"password": password, "accounts": [a.as_dict() for a in accounts]}, indent=2
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo authority ready (audit batch {actor.batch}). "
                "Every account's password: " + password
            )
        )
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            self.stdout.write(f"  {a.username.ljust(width)}  {a.role:<15} {a.organisation}")
