"""Profiles in the API: the same selectors and services as the pages."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.accounts.roles import Perm
from vsend.api.frameworks import framework_url
from vsend.api.problems import Conflict, problem_responses
from vsend.audit.models import Action, Channel
from vsend.audit.services import Actor, actor_from_request, record
from vsend.children import selectors as children
from vsend.frameworks import registry
from vsend.frameworks.loader import AGE_BANDS, DOMAIN_KEYS
from vsend.profiles import chart, selectors, services
from vsend.profiles.models import Profile
from vsend.profiles.pdf import is_family_copy
from vsend.voice.selectors import ThreeViews, three_views


def _actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


class ProfileListItem(serializers.ModelSerializer[Profile]):
    class Meta:
        model = Profile
        fields = [
            "id",
            "number",
            "status",
            "assessment_date",
            "framework_id",
            "framework_version",
            "age_band",
            "review_date",
            "finalised_at",
            "previous",
        ]


class RatingSerializer(serializers.Serializer[Any]):
    domain = serializers.CharField()
    name = serializers.CharField()
    need_level = serializers.IntegerField(allow_null=True)
    need_evidence = serializers.CharField(
        allow_blank=True, help_text="Staff's evidence for the level; empty for the family"
    )
    readiness_level = serializers.IntegerField(allow_null=True)
    readiness_prompts = serializers.ListField(child=serializers.CharField())
    readiness_note = serializers.CharField(
        allow_blank=True, help_text="Staff's note on readiness; empty for the family"
    )
    need_descriptor = serializers.CharField(
        allow_null=True, help_text="What the level of need means, in the staff wording"
    )
    need_family_descriptor = serializers.CharField(
        allow_null=True,
        help_text="What the level of need means, in the words families read (reading age 9 or "
        "below; the staff words for frameworks before version 1.1)",
    )
    confidence_level = serializers.IntegerField(allow_null=True)
    confidence_label = serializers.CharField(
        allow_null=True, help_text="The family's answer for home confidence, in their words"
    )
    confidence_note = serializers.CharField(allow_blank=True)
    readiness_gap = serializers.IntegerField(allow_null=True)
    confidence_gap = serializers.IntegerField(allow_null=True)
    change_since_previous = serializers.IntegerField(allow_null=True)
    family_view_level = serializers.IntegerField(
        allow_null=True,
        help_text="The family's own view of need in this area (sent with their home answers), "
        "on the framework's levels; null when not given",
    )
    family_view_label = serializers.CharField(
        allow_null=True, help_text="The family's view of need, in the words they chose from"
    )
    child_view_level = serializers.IntegerField(
        allow_null=True,
        help_text="The child's own view of this area from their latest sent 'All about me' "
        "(see child_view), on the framework's levels; null when not given",
    )
    child_view_label = serializers.CharField(
        allow_null=True, help_text="The child's own view, in the words they chose from"
    )
    views_to_talk_about = serializers.BooleanField(
        help_text="Two of the three views (setting, family, child) are 2 or more levels apart: "
        "something to talk about. Views are never averaged"
    )


class OutcomeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    domain = serializers.CharField()
    what = serializers.CharField()
    how_we_will_know = serializers.CharField()
    by_when = serializers.DateField()


class ActionSerializer(serializers.Serializer[Any]):
    domain = serializers.CharField()
    what = serializers.CharField()
    who = serializers.CharField()
    how_often = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class ChildViewSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()


class ProfileDetail(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    child = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    framework = serializers.DictField(
        help_text="id, version, checksum, age_band, age_band_reason, name, and url: the "
        "framework's scale and wording (staff and family)"
    )
    assessment_date = serializers.DateField()
    review_date = serializers.DateField(allow_null=True)
    previous = serializers.IntegerField(allow_null=True)
    lock_version = serializers.IntegerField()
    home_confidence_by_family = serializers.BooleanField()
    ratings = RatingSerializer(many=True)
    child_view = ChildViewSerializer(
        allow_null=True,
        help_text="The child's 'All about me' version whose views of each area are given in "
        "ratings: the newest sent while this is the current profile, else the newest sent by "
        "the day it was replaced; null when there is none",
    )
    gaps = serializers.DictField()
    plan = serializers.DictField()


def _words(view: selectors.ProfileView, d: Any) -> dict[str, str | None]:
    need, confidence = d.rating.need_level, d.rating.confidence_level
    return {
        "need_descriptor": None if need is None else d.domain.descriptors[need],
        "need_family_descriptor": None if need is None else d.domain.family_descriptor(need),
        "confidence_label": None
        if confidence is None
        else view.framework.level(confidence).confidence,
    }


def _three(views: ThreeViews, i: int) -> dict[str, Any]:
    row = views.rows[i]
    return {
        "family_view_level": row.family.level,
        "family_view_label": row.family.words or None,
        "child_view_level": row.child.level,
        "child_view_label": row.child.words or None,
        "views_to_talk_about": row.talk_about,
    }


def profile_data(
    view: selectors.ProfileView, request: Request | None = None, *, staff_notes: bool = True
) -> dict[str, Any]:
    """The profile as the API gives it, with the family's and the child's own views of each
    area beside the setting's (ADR 28), for whoever may open the profile, as on its page.
    `staff_notes` False (a parent, carer or young person reading it) leaves out the notes staff
    keep for their work, as the family's PDF does."""
    p = view.profile
    kept = (lambda text: text) if staff_notes else (lambda text: "")
    views = three_views(view)
    about_me = views.about_me
    return {
        "id": p.pk,
        "child": p.child_id,
        "number": p.number,
        "status": p.status,
        "framework": {
            "id": p.framework_id,
            "version": p.framework_version,
            "checksum": p.framework_checksum,
            "age_band": p.age_band,
            "age_band_reason": p.age_band_reason,
            "name": view.framework.name,
            "url": framework_url(request, view.framework),
        },
        "assessment_date": p.assessment_date,
        "review_date": p.review_date,
        "previous": p.previous_id,
        "lock_version": p.lock_version,
        "home_confidence_by_family": p.home_by_family,
        "ratings": [
            {
                "domain": d.domain.key,
                "name": d.domain.name,
                "need_level": d.rating.need_level,
                "need_evidence": kept(d.rating.need_evidence),
                "readiness_level": d.rating.readiness_level,
                "readiness_prompts": d.rating.readiness_prompts,
                "readiness_note": kept(d.rating.readiness_note),
                "confidence_level": d.rating.confidence_level,
                "confidence_note": d.rating.confidence_note,
                "readiness_gap": d.rating.readiness_gap,
                "confidence_gap": d.rating.confidence_gap,
                "change_since_previous": d.change,
            }
            | _words(view, d)
            | _three(views, i)
            for i, d in enumerate(view.domains)
        ],
        "child_view": None
        if about_me is None
        else {"version": about_me.number, "submitted_at": about_me.submitted_at},
        "gaps": {
            "readiness": [d.domain.key for d in view.readiness_gaps],
            "home_confidence": [d.domain.key for d in view.confidence_gaps],
        },
        "plan": {
            "outcomes": [
                {
                    "id": o.pk,
                    "domain": o.domain,
                    "what": o.what,
                    "how_we_will_know": o.how_we_will_know,
                    "by_when": o.by_when,
                }
                for o in view.outcomes
            ],
            "actions": [
                {
                    "domain": a.domain,
                    "what": a.what,
                    "who": a.who,
                    "how_often": a.how_often,
                    "starts_on": a.starts_on,
                    "ends_on": a.ends_on,
                }
                for a in view.actions
            ],
            "outcome_reviews": [
                {"outcome": r.outcome_id, "result": r.result, "note": r.note} for r in view.reviews
            ],
        },
    }


def scale_top() -> int:
    """The highest level on any framework's scale in use (the schema's bound for levels)."""
    return max(registry.current(band).max_level for band in AGE_BANDS)


# Refuses fields it does not know, rather than ignoring them (the schema says so too).
class StrictSerializer(serializers.Serializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {k[:100]: ["This field is not known here"] for k in unknown[:20]}
                )
        return super().to_internal_value(data)


class RatingPatch(StrictSerializer):
    """Changes to one domain's ratings: only the fields given are changed."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        top = scale_top()

        def level(what: str) -> serializers.IntegerField:
            return serializers.IntegerField(
                min_value=0,
                max_value=top,
                required=False,
                help_text=f"{what}, 0 to the top of the profile's framework scale",
            )

        def note() -> serializers.CharField:
            return serializers.CharField(required=False, allow_blank=True, max_length=5000)

        return {
            "need_level": level("The level of need"),
            "need_evidence": note(),
            "readiness_level": level("The setting's readiness"),
            "readiness_note": note(),
            "confidence_level": level("Home confidence"),
            "confidence_note": note(),
        }


class RatingsPatch(StrictSerializer):
    """Changes by domain: only the framework's domain keys are accepted."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {key: RatingPatch(required=False) for key in DOMAIN_KEYS}


class ProfilePatch(StrictSerializer):
    """Changes to a draft's ratings, with the lock_version they were read at."""

    lock_version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The lock_version you read; a stale one is refused (409)",
    )
    ratings = RatingsPatch(help_text="By domain key")

    def __init__(self, *args: Any, max_level: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_level = max_level

    def validate_ratings(self, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for key, fields in value.items():
            for f, v in fields.items():
                if f.endswith("_level") and v is not None and v > self.max_level:
                    raise serializers.ValidationError(
                        {key: {f: [f"Must be between 0 and {self.max_level}"]}}
                    )
        return value


@extend_schema(
    responses={200: ProfileListItem(many=True), **problem_responses(403, 404)},
    summary="A child's profiles, newest first",
)
@api_view(["GET"])
def child_profiles(request: Request, pk: int) -> Response:
    actor = _actor(request)
    child = children.get_child_for(actor, pk, Perm.VIEW_PROFILE)
    record(actor, Action.VIEW, obj=child, summary="Profile list viewed")
    return Response(ProfileListItem(child.profiles.order_by("-number"), many=True).data)


@extend_schema(
    methods=["GET"],
    responses={200: ProfileDetail, **problem_responses(403, 404)},
    summary="One profile (the view is audited)",
)
@extend_schema(
    methods=["PATCH"],
    request=ProfilePatch,
    responses={
        200: ProfileDetail,
        **problem_responses(400, 403, 404, 409, 413),
    },
    summary="Change ratings of a draft profile",
)
@api_view(["GET", "PATCH"])
def profile_detail(request: Request, pk: int) -> Response:
    actor = _actor(request)
    if request.method == "PATCH":
        profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
        if not profile.is_draft:
            raise Conflict(
                "This profile is finalised and cannot be changed. Start a review to update it."
            )
        body = ProfilePatch(data=request.data, max_level=services.framework_of(profile).max_level)
        body.is_valid(raise_exception=True)
        try:
            services.update_ratings(
                actor=actor,
                profile=profile,
                expected=body.validated_data["lock_version"],
                ratings=body.validated_data["ratings"],
            )
        except services.ProfileLocked:
            raise Conflict("This profile is finalised and cannot be changed.") from None
        except services.StaleProfile:
            raise Conflict(
                "Someone saved this profile after you read it. Read it again, then send your "
                "changes with the new lock_version."
            ) from None
        profile.refresh_from_db()
    else:
        profile = selectors.open_profile(actor, pk)
    family = is_family_copy(request.user, profile.child_id)
    return Response(profile_data(selectors.profile_view(profile), request, staff_notes=not family))


@extend_schema(
    responses={(200, "image/svg+xml"): OpenApiTypes.STR, **problem_responses(403, 404)},
    summary="The at-a-glance chart (SVG)",
)
@api_view(["GET"])
def profile_chart_svg(request: Request, pk: int) -> HttpResponse:
    profile = selectors.open_profile(_actor(request), pk, "Chart viewed")
    view = selectors.profile_view(profile)
    # The child's own view is the fourth series, as on the profile's page.
    return HttpResponse(
        chart.profile_chart_svg(view, three_views(view).child_levels),
        content_type="image/svg+xml",
    )
