"""Back up the database and the private upload folder into one folder with a manifest of checksums.
Operators: `make backup` (docs/operations.md "Backup and restore")."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from siinas.core.backup import BackupError, Database, backup_create


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump --format=custom) and PRIVATE_MEDIA_ROOT (a tar) into a new "
        "folder with manifest.json (migrations, row counts, SHA-256 of everything) and SHA256SUMS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="a new or empty folder, e.g. var/backups/20261130T020000Z")

    def handle(self, *args, **options):
        if settings.SIINAS_STORAGE != "local":
            # The documents are in the bucket, not under PRIVATE_MEDIA_ROOT: a tar of that folder would be an
            # empty "backup" of them. Object storage has its own (docs/scaling.md, "Object storage").
            raise CommandError(
                "SIINAS_STORAGE=s3: private files live in the bucket, which this command cannot archive. Back the "
                "database up with pg_dump and the bucket with its versioning/replication (docs/scaling.md)."
            )
        try:
            database = Database.from_settings(connections["default"].settings_dict)
            manifest = backup_create(output=options["output"], database=database, media_root=Path(settings.PRIVATE_MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts, media = manifest["row_counts"], manifest["media"]
        self.stdout.write(
            f"Backup of {manifest['database']['name']} in {options['output']}: {manifest['dump']['file']} "
            f"{human_size(manifest['dump']['bytes'])} ({len(counts)} tables, {sum(counts.values()):,} rows), "
            f"{media['archive']} {human_size(media['bytes'])} ({len(media['files'])} files); manifest.json, SHA256SUMS."
        )
