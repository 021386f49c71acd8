"""Report files made in the background: PDF and DOCX take seconds, so they are not made
inside a web request. A download finds or orders the document for the report as it reads
now (``RenderedDocument``), the worker makes it (``make_document``), and the page shows
its progress until the file is there.

The tree the order is keyed by is the tree the file is made from: the order keeps it
(``RenderedDocument.tree``) and the worker renders it, so a download builds the report
once, and the file says exactly what its key stands for, however long the queue.

A made document is kept under the centre's data version (``oppdrag.core.versions``),
read before the tree is built: while the version is unchanged the next download is the
stored file, found in two queries without building the tree (building it costs far more
than the file's transfer). When the version has moved the tree is built and hashed, and a
document of the same content is kept (and marked with the new version) rather than made
again. Writes made outside Django raise no version, so a document found by version alone
is trusted for ``VERSION_TRUSTED`` after its last check, then checked against the tree.
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
import zlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from oppdrag.core import versions
from oppdrag.core.models import Center
from oppdrag.core.tasklog import logged_task

from .builder import build_report
from .models import RenderedDocument
from .renderers import RENDERERS
from .renderers.jsontext import dumps
from .tree import Report

# Formats made in the background; the others are quick enough to make while the user waits.
BACKGROUND = {"pdf", "docx"}
Status = RenderedDocument.Status
# How long a document found by data version alone is served without building the tree.
VERSION_TRUSTED = datetime.timedelta(hours=1)


def publication(center: Center, year: int) -> Report:
    """The report as it is published: without the findings chapter, which is for the
    preview and the overview page only."""
    return build_report(center, year, include_findings=False)


def content_key(report: Report) -> str:
    return hashlib.sha256(dumps(report.to_json()).encode()).hexdigest()


def packed(report: Report) -> bytes:
    return zlib.compress(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes | memoryview) -> Report:
    # Only ever what ``order_document`` stored in the same row.
    report: Report = pickle.loads(zlib.decompress(data))
    return report


def order_document(
    center: Center, year: int, identifier: str, *, user_id: int | None = None
) -> RenderedDocument:
    """The document for the report as it reads now: the one made already, or a new order.

    A failed document is ordered again. Two users asking at once get the same order
    (the unique constraint decides who made it).
    """
    version = versions.current(center.pk)  # before the tree: a later write moves it on
    kept = (
        RenderedDocument.objects.filter(
            center=center,
            year=year,
            identifier=identifier,
            data_version=version,
            status=Status.DONE,
            checked_at__gte=timezone.now() - VERSION_TRUSTED,
        )
        .order_by("-checked_at")
        .first()
    )
    if kept is not None:
        return kept
    report = publication(center, year)
    key = content_key(report)
    found = RenderedDocument.objects.filter(
        center=center, year=year, identifier=identifier, content_key=key
    ).first()
    if found is not None and found.status != Status.FAILED:
        # The same content under a newer version (a change elsewhere): keep the file.
        found.data_version, found.checked_at = version, timezone.now()
        found.save(update_fields=["data_version", "checked_at"])
        return found
    if found is not None:
        found.delete()
    try:
        with transaction.atomic():
            document = RenderedDocument.objects.create(
                center=center,
                year=year,
                identifier=identifier,
                content_key=key,
                data_version=version,
                checked_at=timezone.now(),
                tree=packed(report),
            )
    except IntegrityError:
        return RenderedDocument.objects.get(
            center=center, year=year, identifier=identifier, content_key=key
        )
    # Older files of the same format are of no use once the report has changed.
    RenderedDocument.objects.filter(center=center, year=year, identifier=identifier).exclude(
        pk=document.pk
    ).exclude(status__in=[Status.QUEUED, Status.RUNNING]).delete()
    # The queue is a table in the same database: the order and the task commit together.
    make_document.enqueue(document.pk, user_id)
    document.refresh_from_db()  # made already where tasks run where they are ordered
    return document


def set_progress(document_id: int, status: str, progress: int, **fields) -> None:  # type: ignore[no-untyped-def]
    RenderedDocument.objects.filter(pk=document_id).update(
        status=status, progress=progress, **fields
    )


@task()
def make_document(document_id: int, user_id: int | None = None) -> None:
    """Build the report tree and render it into the ordered document."""
    document = RenderedDocument.objects.select_related("center").filter(pk=document_id).first()
    if document is None or document.status == Status.DONE:
        return
    with logged_task("make_document", center_id=document.center_id, user_id=user_id):
        render_document(document)


def render_document(document: RenderedDocument) -> None:
    document_id = document.pk
    try:
        set_progress(document_id, Status.RUNNING, 10)
        if document.tree:
            report = unpacked(document.tree)
        else:  # ordered before orders kept their tree
            report = publication(document.center, document.year)
        set_progress(document_id, Status.RUNNING, 40)
        name, mimetype, data = RENDERERS[document.identifier].render(report)
    except Exception:
        set_progress(document_id, Status.FAILED, 100, finished_at=timezone.now())
        raise
    set_progress(
        document_id,
        Status.DONE,
        100,
        filename=name,
        mimetype=mimetype,
        data=data,
        tree=b"",
        finished_at=timezone.now(),
    )
