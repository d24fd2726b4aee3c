"""Writing the audit trail. Every service that reads or changes child data calls record()."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from vsend.audit.models import Action, AuditEvent, Channel


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from where: built once per request and passed to services."""

    user: Any  # an accounts.User, or None for the system or an anonymous visitor
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    channel: str = Channel.WEB

    @property
    def label(self) -> str:
        return getattr(self.user, "email", "") or ""


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
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        if obj._meta.model_name == "child":
            child_id = child_id or obj.pk
            authority_id = authority_id or obj.authority_id
    return AuditEvent.objects.create(
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
