"""Scoped reads of organisations."""

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from vsend.accounts.roles import Role, role_grants
from vsend.organisations.models import LocalAuthority, Locality, SchoolClass, Setting

if TYPE_CHECKING:
    from vsend.accounts.policy import AccessPolicy

NOTHING = Q(pk__in=[])


def _setting_reach(user: object, perm: str | None) -> Q:
    q = NOTHING
    if not getattr(user, "is_authenticated", False):
        return q
    for m in user.active_memberships():  # type: ignore[attr-defined]
        if perm is not None and not role_grants(m.role, perm):
            continue
        if m.role == Role.PLATFORM_ADMIN:
            return Q()
        if m.setting_id:
            q |= Q(pk=m.setting_id)
        elif m.role in {Role.LA_ADMIN, Role.LA_OFFICER}:
            q |= Q(authority_id=m.authority_id)
    return q


def settings_visible_to(user: object, perm: str | None = None) -> QuerySet[Setting]:
    return Setting.objects.filter(_setting_reach(user, perm)).select_related(
        "locality", "authority"
    )


def authorities_visible_to(user: object, perm: str | None = None) -> QuerySet[LocalAuthority]:
    q = NOTHING
    if getattr(user, "is_authenticated", False):
        for m in user.active_memberships():  # type: ignore[attr-defined]
            if perm is not None and not role_grants(m.role, perm):
                continue
            if m.role == Role.PLATFORM_ADMIN:
                return LocalAuthority.objects.all()
            q |= Q(pk=m.authority_id)
    return LocalAuthority.objects.filter(q)


def classes_visible_to(user: object) -> QuerySet[SchoolClass]:
    """Classes offered as filters: a teacher's own, or every class of the user's settings."""
    q = NOTHING
    if getattr(user, "is_authenticated", False):
        for m in user.active_memberships():  # type: ignore[attr-defined]
            if m.role == Role.TEACHER:
                q |= Q(pk__in=[c.pk for c in m.classes.all()])
            elif m.role == Role.SENDCO:
                q |= Q(setting_id=m.setting_id)
    return SchoolClass.objects.filter(q).select_related("setting", "year_group")


def localities_for(policy: "AccessPolicy", perm: str) -> QuerySet[Locality]:
    """The localities of the authorities the policy reaches with perm, with their settings."""
    return (
        Locality.objects.filter(policy.in_authorities(perm))
        .select_related("authority")
        .annotate(settings_count=Count("settings"))
        .order_by("authority__name", "name", "pk")
    )


def settings_for(policy: "AccessPolicy", perm: str) -> QuerySet[Setting]:
    """The settings of the authorities the policy reaches with perm."""
    return (
        Setting.objects.filter(policy.in_authorities(perm))
        .select_related("authority", "locality", "trust")
        .order_by("authority__name", "name", "pk")
    )
