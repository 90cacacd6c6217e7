"""Restore a backup made by `manage.py backup` into an empty database and an empty upload folder, after
checking every checksum, then compare what was restored with the manifest. Operators: `make restore`
(docs/operations.md "Backup and restore")."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from siinas.core.backup import BackupError, Database, backup_restore, backup_verify, code_migrations_note
from siinas.core.management.commands.backup import human_size


class Command(BaseCommand):
    help = (
        "Verify a backup folder's checksums, restore its dump into an empty database (--database-url, or "
        "TARGET_DATABASE_URL) and its files into an empty PRIVATE_MEDIA_ROOT, then check row counts, "
        "migrations and file checksums against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="a folder written by manage.py backup")
        parser.add_argument(
            "--database-url",
            help="postgres:// URL of the target database, which must exist and be empty (default: the "
            "TARGET_DATABASE_URL variable, which keeps a password out of the process list)",
        )
        parser.add_argument("--media-root", type=Path, help="where the files go (default: PRIVATE_MEDIA_ROOT)")
        parser.add_argument("--force", action="store_true", help="restore over a non-empty database and folder")
        parser.add_argument("--verify-only", action="store_true", help="check the checksums, restore nothing")

    def handle(self, *args, **options):
        folder: Path = options["input"]
        try:
            if options["verify_only"]:
                manifest = backup_verify(folder)
                self.stdout.write(
                    f"Backup {folder} of {manifest['database']['name']} ({manifest['created_at']}) is intact: "
                    f"dump, archive and {len(manifest['media']['files'])} files match manifest.json."
                )
                return
            url = options["database_url"] or os.environ.get("TARGET_DATABASE_URL")
            if not url:
                raise CommandError("Give the target database: --database-url postgres://… or TARGET_DATABASE_URL.")
            if settings.SIINAS_STORAGE != "local" and not options["media_root"]:
                raise CommandError(
                    "SIINAS_STORAGE=s3: the files would go to a local folder the portal does not read. Give "
                    "--media-root and copy that folder into the bucket afterwards (docs/scaling.md)."
                )
            media_root = options["media_root"] or Path(settings.PRIVATE_MEDIA_ROOT)
            database = Database.from_url(url)
            result = backup_restore(folder=folder, database=database, media_root=media_root, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        if result.problems:
            raise CommandError(
                f"Restored {folder} into {database.label}, but it does not match the backup: "
                + "; ".join(result.problems[:20]) + "."
            )
        note = code_migrations_note(manifest)
        self.stdout.write(
            f"Restored {manifest['database']['name']} of {manifest['created_at']} into {database.label}: "
            f"{result.tables} tables, {result.rows:,} rows, {result.files} files ({human_size(result.bytes)}) in "
            f"{media_root}; row counts, migrations, report-version hashes and file checksums match the manifest"
            + (f" (note: {note})." if note else ".")
        )
