"""Write or check the files generated from the API's document classes."""

from django.core.management.base import BaseCommand, CommandError

from funding.opendata import api_docs


class Command(BaseCommand):
    help = (
        "Write (--write) or check (--check) docs/openapi.json and the field tables of docs/api.md."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--write", action="store_true", help="Rewrite the files.")
        action.add_argument("--check", action="store_true", help="Fail when one is stale.")

    def handle(self, *args, write=False, check=False, **options):
        if write:
            for path in api_docs.write():
                self.stdout.write(f"Wrote {path}")
            return
        if stale := api_docs.stale():
            names = ", ".join(str(path) for path in stale)
            raise CommandError(f"Out of date: {names}. Run `{api_docs.REGENERATE}`.")
        self.stdout.write("The generated API files are up to date.")
