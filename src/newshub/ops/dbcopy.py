"""Copy every row of one Newshub database into another (e.g. SQLite to PostgreSQL), then prove it.

Rows keep their primary keys, so links between tables (and URLs such as /stories/42/) survive. Foreign keys
are deferred to commit time on both SQLite and PostgreSQL in Django's schema, so rows can be inserted
model by model inside one transaction, self-references included. The proof is a count and a checksum per
table, computed from the same normalized values on both sides.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.models.fields.json import JSONField

from newshub.database import database_from_url

log = logging.getLogger(__name__)

BATCH_SIZE = 2000


class CopyError(Exception):
    pass


@dataclass(frozen=True)
class TableProof:
    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def matches(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


def register_database(alias: str, url: str) -> str:
    """Make a database URL usable as `connections[alias]` for the rest of this process."""
    if alias in connections:
        connections[alias].close()
        del connections[alias]
    connections.settings[alias] = connections.configure_settings({"default": database_from_url(url)})[
        "default"
    ]
    return alias


def copied_models() -> list[type[models.Model]]:
    """Every table Django manages, many-to-many link tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def normalized(field: models.Field, value: Any) -> Any:
    """One representation per value whatever the backend returned (memoryview, jsonb key order, tz)."""
    if value is None:
        return None
    if isinstance(value, memoryview | bytes | bytearray):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(field, JSONField):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def table_rows(model: type[models.Model], alias: str) -> Iterator[models.Model]:
    yield from model._default_manager.using(alias).order_by("pk").iterator(chunk_size=BATCH_SIZE)


def table_proof_part(model: type[models.Model], alias: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    fields = model._meta.concrete_fields
    for row in table_rows(model, alias):
        values = [normalized(field, field.value_from_object(row)) for field in fields]
        digest.update(json.dumps(values).encode())
        count += 1
    return count, digest.hexdigest()


def prove(model_list: Iterable[type[models.Model]], source: str, target: str) -> list[TableProof]:
    proofs = []
    for model in model_list:
        source_rows, source_checksum = table_proof_part(model, source)
        target_rows, target_checksum = table_proof_part(model, target)
        proofs.append(
            TableProof(model._meta.db_table, source_rows, target_rows, source_checksum, target_checksum)
        )
    return proofs


def batched(rows: Iterator[models.Model], size: int) -> Iterator[list[models.Model]]:
    batch: list[models.Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def stored_timestamps_kept(model_list: Iterable[type[models.Model]]) -> Iterator[None]:
    """Copy auto_now / auto_now_add fields as stored instead of stamping them with the copy's time."""
    fields = [
        field
        for model in model_list
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def ensure_empty(model_list: Iterable[type[models.Model]], target: str) -> None:
    # Migrations create content types and permissions themselves; they are replaced by the source's
    # rows (same primary keys, which permissions and admin log entries point to).
    generated = {ContentType, Permission}
    for model in model_list:
        if model not in generated and model._default_manager.using(target).exists():
            raise CopyError(
                f"the target database already has rows in {model._meta.db_table}; copy into an empty one"
            )


def copy_database(
    source_url: str, target_url: str, progress: Callable[[str, int], None] | None = None
) -> list[TableProof]:
    source = register_database("copy_source", source_url)
    target = register_database("copy_target", target_url)
    call_command("migrate", database=source, verbosity=0, interactive=False)
    call_command("migrate", database=target, verbosity=0, interactive=False)
    model_list = copied_models()
    ensure_empty(model_list, target)
    with transaction.atomic(using=target), stored_timestamps_kept(model_list):
        Permission.objects.using(target).all().delete()
        ContentType.objects.using(target).all().delete()
        for model in model_list:
            for batch in batched(table_rows(model, source), BATCH_SIZE):
                model._default_manager.using(target).bulk_create(batch)
                if progress:
                    progress(model._meta.db_table, len(batch))
        reset_sequences(model_list, target)
    ContentType.objects.clear_cache()
    proofs = prove(model_list, source, target)
    log.info(
        "event=db_copy_done tables=%d rows=%d mismatches=%d",
        len(proofs),
        sum(p.target_rows for p in proofs),
        sum(not p.matches for p in proofs),
    )
    return proofs


def reset_sequences(model_list: list[type[models.Model]], alias: str) -> None:
    """PostgreSQL hands out ids from sequences that know nothing of the copied rows: move them on."""
    connection = connections[alias]
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
