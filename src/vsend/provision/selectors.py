"""Scoped reads of provision. A setting's catalogue, costs, groups and maps are for those who run
its provision; a teacher sees the groups and maps of their own classes' children only."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.services import Actor, actor_from_request, refuse_role
from vsend.children.models import Child, Enrolment
from vsend.children.selectors import get_child_for
from vsend.organisations.models import Setting
from vsend.profiles.models import SupportAction
from vsend.provision.models import Place, Provision, ProvisionGroup, StaffRole


def managed_setting(request: HttpRequest, pk: int) -> Setting:
    """The setting, if the user runs its provision: 403 without the permission, else 404."""
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MANAGE_PROVISION):
        refuse_role(actor_from_request(request), Perm.MANAGE_PROVISION)
    setting = Setting.objects.select_related("authority").filter(pk=pk).first()
    if setting is None or not policy.may_manage_provision(setting):
        raise Http404
    return setting


def viewed_setting(request: HttpRequest, pk: int) -> Setting:
    """The setting, if the user sees any of its provision: 403 without the permission."""
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.VIEW_PROVISION):
        refuse_role(actor_from_request(request), Perm.VIEW_PROVISION)
    setting = Setting.objects.select_related("authority").filter(pk=pk).first()
    if setting is None or not policy.may_view_provision_at(setting):
        raise Http404
    return setting


def visible_children(request: HttpRequest) -> QuerySet[Child]:
    return AccessPolicy.for_request(request).children(Perm.VIEW_PROVISION)


def groups_at(request: HttpRequest, setting: Setting) -> QuerySet[ProvisionGroup]:
    """The setting's groups the user may see: all of them for those who run its provision,
    else those with a child the user reaches."""
    groups = ProvisionGroup.objects.filter(setting=setting).select_related("provision")
    if AccessPolicy.for_request(request).may_manage_provision(setting):
        return groups
    return groups.filter(places__child__in=visible_children(request)).distinct()


def group_for(request: HttpRequest, pk: int, *, manage: bool = False) -> ProvisionGroup:
    group = ProvisionGroup.objects.select_related("provision", "setting").filter(pk=pk).first()
    if group is None:
        raise Http404
    setting = (managed_setting if manage else viewed_setting)(request, group.setting_id)
    if not groups_at(request, setting).filter(pk=group.pk).exists():
        raise Http404
    return group


def places_shown(request: HttpRequest, group: ProvisionGroup) -> list[Place]:
    """The group's places whose children the user reaches (a teacher: their classes)."""
    places = group.places.select_related("child").order_by("child__last_name", "child__first_name")
    if AccessPolicy.for_request(request).may_manage_provision(group.setting):
        return list(places)
    return list(places.filter(child__in=visible_children(request)))


def provision_for(request: HttpRequest, pk: int) -> Provision:
    provision = Provision.objects.select_related("setting").filter(pk=pk).first()
    if provision is None:
        raise Http404
    managed_setting(request, provision.setting_id)
    return provision


def staff_role_for(request: HttpRequest, pk: int) -> StaffRole:
    role = StaffRole.objects.filter(pk=pk).first()
    if role is None:
        raise Http404
    managed_setting(request, role.setting_id)
    return role


def child_for_map(actor: Actor, pk: int) -> Child:
    return get_child_for(actor, pk, Perm.VIEW_PROVISION)


def action_for(request: HttpRequest, pk: int) -> tuple[SupportAction, Setting]:
    """A plan action of a child the user may see, at a setting whose provision they run."""
    action = (
        SupportAction.objects.select_related("profile").filter(pk=pk).first()
    )  # scope-lint: allow checked below through the child
    if action is None:
        raise Http404
    child = get_child_for(actor_from_request(request), action.profile.child_id, Perm.VIEW_PROFILE)
    policy = AccessPolicy.for_request(request)
    enrolment = child.enrolments.filter(ended_on__isnull=True).select_related("setting").first()
    if enrolment is None or not policy.may_manage_provision(enrolment.setting):
        refuse_role(actor_from_request(request), Perm.MANAGE_PROVISION)
    assert enrolment is not None
    return action, enrolment.setting


def setting_children(setting: Any, exclude: set[int] | None = None) -> list[tuple[str, str]]:
    """The children enrolled at a setting now (for those who run its provision), as choices."""
    enrolments = (
        Enrolment.objects.current()
        .filter(setting=setting)
        .select_related("child", "school_class")
        .order_by("child__last_name", "child__first_name")
    )
    return [
        (
            str(e.child_id),
            f"{e.child.full_name}" + (f" ({e.school_class.name})" if e.school_class else ""),
        )
        for e in enrolments
        if e.child_id not in (exclude or set())
    ]


def children_listed(ids: list[int]) -> list[Child]:
    """Children by id, for a page whose caller has found them through a setting the user runs
    (its enrolments, or its provision)."""
    return list(Child.objects.filter(pk__in=ids))
