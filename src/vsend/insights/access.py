"""Who may open which dashboard, and how much of it they see (through accounts/policy.py)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from vsend.accounts import policy
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.organisations.models import LocalAuthority, Setting
from vsend.organisations.selectors import authorities_visible_to, settings_visible_to


@dataclass(frozen=True)
class SettingView:
    """What one user sees of a setting: which children, and whether they may be identified.

    Decided by the single most open membership, never by mixing roles: a teacher who is also a
    governor sees their classes identifiably, or the whole setting anonymously, not both.
    """

    class_ids: tuple[int, ...] | None  # None: the whole setting
    identifiable: bool


def setting_view(user: Any, setting: Setting) -> SettingView:
    disclosure = policy.disclosure_for_setting(user, setting)
    return SettingView(disclosure.class_ids, disclosure.identifiable)


def teacher_classes(user: Any, setting: Setting) -> tuple[int, ...] | None:
    return setting_view(user, setting).class_ids


def authority_identifiable(user: Any, authority: LocalAuthority) -> bool:
    return policy.disclosure_for_authority(user, authority) is policy.Disclosure.IDENTIFIABLE


def may_view_setting(user: Any, setting: Setting) -> bool:
    """A membership that grants the setting dashboard and covers this setting."""
    return policy.may_view_setting(user, setting)


def may_view_authority(user: Any, authority: LocalAuthority) -> bool:
    return policy.may_view_authority(user, authority)


def setting_for(actor: Actor, pk: int) -> Setting:
    """A setting whose dashboard the actor may open. Outside their organisations: 404; within
    them without the dashboard: 403. Both refusals are audited."""
    setting = settings_visible_to(actor.user).filter(pk=pk).first()
    if setting is None:
        # Recorded against the authority that owns the setting, if it exists, for its audit page.
        owner = Setting.objects.filter(pk=pk).values_list("authority_id", flat=True).first()
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="setting",
            object_id=pk,
            authority_id=owner,
            summary="Setting dashboard outside the user's scope",
            detail={"reason": "outside_scope"},
        )
        raise Http404("No setting found")
    if not may_view_setting(actor.user, setting):
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="setting",
            object_id=pk,
            summary="The user's role does not allow this",
        )
        raise PermissionDenied
    return setting


def authority_for(actor: Actor, chosen: str | None) -> LocalAuthority:
    """The authority asked for, or the first the user may see. One outside the user's
    organisations: 404; a user with no authority dashboard: 403."""
    viewable = [a for a in authorities_visible_to(actor.user) if may_view_authority(actor.user, a)]
    if chosen:
        authority = next((a for a in viewable if str(a.pk) == chosen), None)
        if authority is None:
            record(
                actor,
                Action.ACCESS_REFUSED,
                object_type="authority_insight",
                object_id=chosen[:20],
                summary="Authority dashboard outside the user's scope",
            )
            raise Http404("No authority found")
        return authority
    if not viewable:
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="authority_insight",
            summary="Authority dashboard refused",
        )
        raise PermissionDenied
    return viewable[0]
