from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from newshub.ops.dbcopy import CopyError, copy_database


class Command(BaseCommand):
    help = "Database operations: `db copy --from URL --to URL` moves an installation to another database."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        copy = actions.add_parser("copy", help="copy every row into an empty database and verify it")
        copy.add_argument("--from", dest="source", required=True, help="e.g. sqlite:////path/newshub.sqlite3")
        copy.add_argument("--to", dest="target", required=True, help="e.g. postgresql://user@host/newshub")

    def handle(self, *args, action: str, source: str, target: str, **options) -> None:
        console = Console(stderr=True)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("copying rows", total=None)

            def advance(table: str, rows: int) -> None:
                progress.update(task, advance=rows, description=f"copying {table}")

            try:
                proofs = copy_database(source, target, progress=advance)
            except CopyError as error:
                raise CommandError(str(error)) from error
        table = Table("table", "rows", "checksum")
        for proof in proofs:
            table.add_row(proof.table, str(proof.target_rows), "ok" if proof.matches else "MISMATCH")
        Console().print(table)
        mismatched = [proof.table for proof in proofs if not proof.matches]
        if mismatched:
            raise CommandError(f"copy differs from the source in: {', '.join(mismatched)}")
        self.stdout.write(f"copied {sum(p.target_rows for p in proofs)} rows; counts and checksums match")
