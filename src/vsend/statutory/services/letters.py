"""Decision letters and plans kept as files, checked by their first bytes and kept once."""

import hashlib

from django.db import transaction

from vsend.audit.models import Action
from vsend.audit.services import Actor, english
from vsend.statutory.models import Case, CaseDocument, LetterKind
from vsend.statutory.services.common import StatutoryError, _audit

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# What a decision letter or plan may be: checked by the file's first bytes, not its name.
DOCUMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def add_document(
    *, actor: Actor, case: Case, kind: str, filename: str, data: bytes
) -> CaseDocument:
    if kind not in LetterKind.values:
        raise StatutoryError("Choose what the letter is", "kind")
    if not data:
        raise StatutoryError("The file is empty", "file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise StatutoryError(
            f"The file must be smaller than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", "file"
        )
    content_type = next((t for magic, t in DOCUMENT_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise StatutoryError("The file must be a PDF or a Word document (.docx)", "file")
    safe = "".join(c for c in filename if c.isalnum() or c in " ._-")[-100:].strip() or "letter"
    digest = hashlib.sha256(data).hexdigest()
    existing = case.documents.filter(sha256=digest).first()
    if existing is not None:
        return existing  # the same file again (a double submit, a retry): kept once
    with transaction.atomic():
        doc = CaseDocument.objects.create(
            case=case,
            kind=kind,
            filename=safe,
            content_type=content_type,
            content=data,
            size=len(data),
            sha256=digest,
            uploaded_by=actor.user,
        )
        _audit(
            actor,
            Action.CREATE,
            case,
            f"Letter added: {english(doc.get_kind_display())}",
            {"document": doc.pk, "size": doc.size, "sha256": digest},
        )
    return doc
