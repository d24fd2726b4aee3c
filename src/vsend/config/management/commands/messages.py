"""`vsend messages`: write the catalogue template (src/vsend/locale/django.pot); with --check,
fail if the committed one is out of date."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vsend.config import messages


class Command(BaseCommand):
    help = "Extract every translatable string into the catalogue template (django.pot)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(messages.CATALOGUE))
        parser.add_argument("--check", action="store_true", help="Fail if the file would change")

    def handle(self, *args: Any, **options: Any) -> None:
        text = messages.render(messages.extract())
        path = Path(options["output"])
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} is out of date: run `make messages`")
            self.stdout.write(f"{path} is up to date")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {len(messages.msgids(text))} messages to {path}")
