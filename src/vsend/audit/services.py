"""Writing the audit trail. Every service that reads or changes child data calls record()."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import translation

from vsend.audit import chain
from vsend.audit.models import Action, AuditEvent, Channel

# A list view names at most this many children in its row (a page is 50).
MAX_CHILD_IDS = 200


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from where: built once per request and passed to services."""

    user: Any  # an accounts.User, or None for the system or an anonymous visitor
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    channel: str = Channel.WEB
    # For the system: the job or command, and the batch that ties its rows together.
    job: str = ""
    batch: str = field(default="")

    @property
    def label(self) -> str:
        if self.channel == Channel.SYSTEM and self.user is None:
            return f"System (batch {self.batch})" if self.batch else "System"
        return getattr(self.user, "email", "") or ""


def new_batch() -> str:
    return secrets.token_hex(6)


def system_actor(job: str, batch: str | None = None) -> Actor:
    """The system acting for a job, command or import: its rows share one batch id."""
    return Actor(user=None, channel=Channel.SYSTEM, job=job, batch=batch or new_batch())


# The system with no named job: each row it writes gets a batch id of its own.
SYSTEM = Actor(user=None, channel=Channel.SYSTEM)


def client_ip(request: HttpRequest) -> str | None:
    from vsend.config.client_address import client_ip as address

    return address(request)


def actor_from_request(request: HttpRequest, *, channel: str = Channel.WEB) -> Actor:
    user = getattr(request, "user", None)
    return Actor(
        user=user if user is not None and user.is_authenticated else None,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
        path=request.path[:300],
        channel=channel,
    )


def english(text: Any) -> str:
    """A label in English for an audit row's summary (a role's or a choice's label, which
    follow the reader's language): an audit row is a record, not a page, and its words stay in
    English whatever language the person who acted reads vsend in."""
    with translation.override("en"):
        return str(text)


def record(
    actor: Actor,
    action: Action | str,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    child_id: int | None = None,
    authority_id: int | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
    label: str | None = None,
    page_view: bool = False,
) -> AuditEvent:
    """One row on the audit chain. page_view: the row of one record's page being opened, which
    may commit without waiting for the disk on PostgreSQL (ADR 40); every other row waits."""
    if actor.channel == Channel.SYSTEM and actor.user is None:
        if not actor.batch:
            actor = system_actor(actor.job or "system")
        detail = {"batch": actor.batch, "job": actor.job or "system", **(detail or {})}
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        if obj._meta.model_name == "child":
            child_id = child_id or obj.pk
            authority_id = authority_id or obj.authority_id
    event = AuditEvent(
        actor=actor.user,
        actor_label=label if label is not None else actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        child_id=child_id,
        authority_id=authority_id,
        summary=summary[:300],
        detail=detail or {},
        channel=actor.channel,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
        path=actor.path,
    )
    return chain.append(event, page_view=page_view)


def record_children_shown(
    actor: Actor,
    children: Iterable[Any],
    *,
    object_type: str = "child_list",
    summary: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """One row for a page, list or export that shows several children: it names them all."""
    shown = list(children)
    ids = sorted({c.pk for c in shown})
    authorities = sorted({c.authority_id for c in shown})
    return record(
        actor,
        Action.VIEW,
        object_type=object_type,
        authority_id=authorities[0] if len(authorities) == 1 else None,
        summary=summary,
        detail={
            "count": len(ids),
            "child_ids": ids[:MAX_CHILD_IDS],
            **({"authority_ids": authorities} if len(authorities) > 1 else {}),
            **(detail or {}),
        },
    )


def record_shown(actor: Actor, obj: Any, object_type: str, summary: str) -> AuditEvent:
    """One row for a page or answer that shows one of a child's records (a case, a plan): the
    record, its child and the child's authority (have obj.child loaded)."""
    return record(
        actor,
        Action.VIEW,
        object_type=object_type,
        object_id=obj.pk,
        child_id=obj.child_id,
        authority_id=obj.child.authority_id,
        summary=summary,
    )


def refuse_role(actor: Actor, perm: str) -> NoReturn:
    """The user's role does not allow this: a row naming the permission, then a 403."""
    record(
        actor,
        Action.ACCESS_REFUSED,
        summary="The user's role does not allow this",
        detail={"permission": perm},
    )
    raise PermissionDenied
