"""Who may load a register into a setting and take one out.

A membership that both runs the setting's classes (vsend.accounts.policy may_manage_classes:
its SENDCo, or an administrator of its authority) and may change children's records. Decided
from the access policy; asked of nothing else.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm, Role, role_grants
from vsend.organisations.admin_views import refuse
from vsend.organisations.models import Setting


def may_exchange(policy: AccessPolicy, setting: Setting) -> bool:
    return policy.may_manage_classes(setting) and any(
        role_grants(m.role, Perm.CHANGE_CHILD)
        and (
            m.role == Role.PLATFORM_ADMIN
            or m.setting_id == setting.pk
            or (m.setting_id is None and m.authority_id == setting.authority_id)
        )
        for m in policy.memberships
    )


def managed_setting(request: HttpRequest, pk: int) -> Setting:
    """The setting, if the user may exchange its register: 403 without the role, else 404."""
    policy = AccessPolicy.for_request(request)
    if not (policy.can_anywhere(Perm.MANAGE_CLASSES) and policy.can_anywhere(Perm.CHANGE_CHILD)):
        refuse(request, Perm.MANAGE_CLASSES)
    setting = Setting.objects.select_related("authority").filter(pk=pk).first()
    if setting is None or not may_exchange(policy, setting):
        raise Http404
    return setting


def exchange_settings(policy: AccessPolicy) -> QuerySet[Setting]:
    """The settings whose register the user may load and download."""
    ids = [m.setting_id for m in policy.memberships if m.setting_id is not None]
    authorities = [
        m.authority_id
        for m in policy.memberships
        if m.setting_id is None and m.role in (Role.LA_ADMIN,)
    ]
    if any(m.role == Role.PLATFORM_ADMIN for m in policy.memberships):
        candidates = Setting.objects.all()
    else:
        from django.db.models import Q

        candidates = Setting.objects.filter(Q(pk__in=ids) | Q(authority_id__in=authorities))
    allowed = [s.pk for s in candidates.select_related("authority") if may_exchange(policy, s)]
    return Setting.objects.filter(pk__in=allowed).order_by("name")
