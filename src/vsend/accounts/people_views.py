"""Pages for the people at a setting or an authority: invite, change roles, suspend, restore.

Thin: the access policy decides who may do what (AccessPolicy.may_grant and friends), services
in people.py and invitations.py make the changes and audit them. A setting or authority whose
people the user may not manage is not found (404), as for a setting's dashboard.
"""

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vsend.accounts import invitations, people, people_selectors
from vsend.accounts.models import Invitation, Membership, User
from vsend.accounts.people_forms import InvitationForm, MembershipForm
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import CHILD_LINKED_ROLES, SETTING_ROLES, Perm, Role
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown
from vsend.children.models import Child
from vsend.config.forms import error_list
from vsend.organisations.models import LocalAuthority, Setting
from vsend.submissions.services import AlreadySubmitted, submit_once


def _refuse(request: HttpRequest, object_type: str, pk: int, authority_id: int | None) -> None:
    record(
        actor_from_request(request),
        Action.ACCESS_REFUSED,
        object_type=object_type,
        object_id=pk,
        authority_id=authority_id,
        summary="The user may not manage people here",
        detail={"permission": Perm.MANAGE_PEOPLE},
    )
    raise Http404("Not found")


def _setting(request: HttpRequest, pk: int) -> tuple[AccessPolicy, Setting]:
    policy = AccessPolicy.for_request(request)
    setting = Setting.objects.select_related("authority").filter(pk=pk).first()
    if setting is None or not policy.may_manage_setting_people(setting):
        _refuse(request, "setting", pk, setting.authority_id if setting else None)
    return policy, cast(Setting, setting)


def _authority(request: HttpRequest, pk: int) -> tuple[AccessPolicy, LocalAuthority]:
    policy = AccessPolicy.for_request(request)
    authority = LocalAuthority.objects.filter(pk=pk).first()
    if authority is None or not policy.may_manage_authority_people(authority):
        _refuse(request, "authority", pk, authority.pk if authority else None)
    return policy, cast(LocalAuthority, authority)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("people:index")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    authorities = [a for a in LocalAuthority.objects.all() if policy.may_manage_authority_people(a)]
    settings = [
        s
        for s in Setting.objects.select_related("authority")
        if policy.may_manage_setting_people(s)
    ]
    if not authorities and not settings:
        record(
            actor_from_request(request),
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": Perm.MANAGE_PEOPLE},
        )
        raise PermissionDenied
    if len(settings) == 1 and not authorities:
        return redirect("people:setting", settings[0].pk)
    return render(request, "people/index.html", {"authorities": authorities, "settings": settings})


@require_safe
def setting_people(request: HttpRequest, pk: int) -> HttpResponse:
    policy, setting = _setting(request, pk)
    reachable = policy.children(Perm.VIEW_CHILD)
    families = people_selectors.setting_families(setting, reachable)
    waiting = list(people_selectors.open_invitations(setting=setting))
    shown: dict[int, Child] = {c.pk: c for f in families for c in f.children}
    invited = [c.pk for i in waiting for c in i.children.all()]
    visible_ids = set(reachable.filter(pk__in=invited).values_list("pk", flat=True))
    for inv in waiting:
        # Only the children the viewer may see are named (an LA administrator sees them all).
        kids = [c for c in inv.children.all() if c.pk in visible_ids]
        inv.visible_children = kids  # type: ignore[attr-defined]
        shown.update({c.pk: c for c in kids})
    record_children_shown(
        actor_from_request(request),
        shown.values(),
        object_type="people_list",
        summary=f"People at {setting} listed",
        detail={"setting_id": setting.pk},
    )
    return render(
        request,
        "people/setting.html",
        {
            "setting": setting,
            "staff": people_selectors.setting_staff(setting),
            "families": families,
            "invitations": waiting,
            "policy": policy,
            "may_invite": True,
        },
    )


@require_safe
def authority_people(request: HttpRequest, pk: int) -> HttpResponse:
    policy, authority = _authority(request, pk)
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="people_list",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary=f"People at {authority} listed",
    )
    waiting = people_selectors.open_invitations(authority=authority).filter(
        role__in=[Role.LA_ADMIN, Role.LA_OFFICER, Role.CASEWORKER, Role.SENDCO]
    )
    return render(
        request,
        "people/authority.html",
        {
            "authority": authority,
            "staff": people_selectors.authority_staff(authority),
            "sendcos": people_selectors.authority_sendcos(authority),
            "invitations": waiting,
            "settings": Setting.objects.filter(authority=authority),
            "policy": policy,
        },
    )


def _invite(
    request: HttpRequest,
    policy: AccessPolicy,
    authority: LocalAuthority,
    setting: Setting | None,
    back: str,
) -> HttpResponse:
    roles = policy.grantable_roles(authority=authority, setting=setting)
    children = (
        people_selectors.children_at(setting, policy.children(Perm.VIEW_CHILD))
        if setting is not None
        else None
    )
    form = InvitationForm(request.POST or None, roles=roles, setting=setting, children=children)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        req = invitations.InvitationRequest(
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            authority=authority,
            setting=setting,
            classes=list(data.get("classes") or []),
            children=list(data.get("children") or []),
            relationship=data.get("relationship") or "",
            has_parental_responsibility=data.get("parental_responsibility") == "yes",
        )

        def work() -> str:
            invitations.invite(actor=actor_from_request(request), policy=policy, req=req)
            return back

        try:
            submit_once(request, work)
        except AlreadySubmitted as done:
            return redirect(done.url)
        except invitations.AlreadyInvited:
            form.add_error(
                "email",
                "An invitation to this role here is already waiting for this email address. "
                "Send it again from the list of people",
            )
        else:
            messages.success(request, f"Invitation sent to {req.email}.")
            return redirect(back)
    if form.family and children is not None:
        record_children_shown(
            actor_from_request(request),
            children,
            object_type="invitation_form",
            summary=f"Children at {setting} listed to invite a family",
        )
    return render(
        request,
        "people/invite.html",
        {
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "organisation": setting or authority,
            "back": back,
            "invitation_days": _days(),
        },
    )


def _days() -> int:
    from django.conf import settings

    return int(settings.VSEND_INVITATION_DAYS)


@require_http_methods(["GET", "HEAD", "POST"])
def setting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    policy, setting = _setting(request, pk)
    return _invite(
        request, policy, setting.authority, setting, reverse("people:setting", args=[setting.pk])
    )


@require_http_methods(["GET", "HEAD", "POST"])
def authority_invite(request: HttpRequest, pk: int) -> HttpResponse:
    policy, authority = _authority(request, pk)
    return _invite(
        request, policy, authority, None, reverse("people:authority", args=[authority.pk])
    )


def _membership(request: HttpRequest, pk: int) -> tuple[AccessPolicy, Membership]:
    policy = AccessPolicy.for_request(request)
    m = Membership.objects.select_related("user", "authority", "setting").filter(pk=pk).first()
    if m is None or m.role in CHILD_LINKED_ROLES or not policy.may_manage_membership(m):
        _refuse(request, "membership", pk, m.authority_id if m else None)
    return policy, cast(Membership, m)


def _people_page(m_or_inv: Membership | Invitation) -> str:
    if m_or_inv.setting_id is not None and m_or_inv.role != Role.SENDCO:
        return reverse("people:setting", args=[m_or_inv.setting_id])
    return reverse("people:authority", args=[m_or_inv.authority_id])


@require_http_methods(["GET", "HEAD", "POST"])
def membership_change(request: HttpRequest, pk: int) -> HttpResponse:
    policy, m = _membership(request, pk)
    assert m.authority is not None
    same_kind = m.role in SETTING_ROLES
    roles = [
        r
        for r in policy.grantable_roles(authority=m.authority, setting=m.setting)
        if (r in SETTING_ROLES) == same_kind
    ]
    if m.role not in roles:
        roles.insert(0, m.role)
    initial = {"role": m.role, "classes": list(m.classes.all())}
    form = MembershipForm(request.POST or None, initial=initial, roles=roles, setting=m.setting)
    back = _people_page(m)
    if form.is_bound and form.is_valid():
        people.change_membership(
            actor=actor_from_request(request),
            policy=policy,
            membership=m,
            role=form.cleaned_data["role"],
            classes=list(form.cleaned_data.get("classes") or []),
        )
        messages.success(request, f"{m.user}'s role has been changed.")
        return redirect(back)
    return render(
        request,
        "people/membership.html",
        {
            "form": form,
            "membership": m,
            "back": back,
            "errors": error_list(form) if form.is_bound else [],
        },
    )


def _user(request: HttpRequest, pk: int) -> tuple[AccessPolicy, User]:
    policy = AccessPolicy.for_request(request)
    user = User.objects.filter(pk=pk).first()
    if user is None or not policy.may_manage_user(user):
        _refuse(request, "user", pk, None)
    return policy, cast(User, user)


@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    policy, user = _user(request, pk)
    people.suspend(actor=actor_from_request(request), policy=policy, user=user)
    messages.success(
        request, f"{user}'s account is suspended. They have been signed out and cannot sign in."
    )
    return _back(request)


@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    policy, user = _user(request, pk)
    people.restore(actor=actor_from_request(request), policy=policy, user=user)
    messages.success(request, f"{user}'s account is restored. They can sign in again.")
    return _back(request)


def _invitation(request: HttpRequest, pk: int) -> tuple[AccessPolicy, Invitation]:
    policy = AccessPolicy.for_request(request)
    inv = Invitation.objects.select_related("authority", "setting").filter(pk=pk).first()
    if inv is None or not policy.may_manage_invitation(inv):
        _refuse(request, "invitation", pk, inv.authority_id if inv else None)
    return policy, cast(Invitation, inv)


@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    policy, inv = _invitation(request, pk)
    try:
        invitations.resend(actor=actor_from_request(request), policy=policy, invitation=inv)
    except invitations.InvitationRefused:
        messages.success(
            request, f"The invitation for {inv.email} was already {inv.status_label.lower()}."
        )
    else:
        messages.success(
            request, f"Invitation sent again to {inv.email}. The earlier link no longer works."
        )
    return redirect(_people_page(inv))


@require_POST
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    policy, inv = _invitation(request, pk)
    try:
        invitations.cancel(actor=actor_from_request(request), policy=policy, invitation=inv)
    except invitations.InvitationRefused:
        messages.success(
            request, f"The invitation for {inv.email} was already {inv.status_label.lower()}."
        )
    else:
        messages.success(
            request, f"The invitation for {inv.email} is cancelled. Its link no longer works."
        )
    return redirect(_people_page(inv))
