"""The frameworks this service has loaded, in the API: the scale, each area's descriptors in
the staff wording and in the family wording (reading age 9 or below), the prompts.

Frameworks hold no child's data, so any signed-in caller may read them and nothing is audited.
A profile names its framework (id, version, age band); its `url` leads here.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from vsend.api.problems import problem_responses
from vsend.frameworks import registry
from vsend.frameworks.loader import Domain, Framework


class LevelSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField()
    need = serializers.CharField(help_text="The level's name for needs")
    readiness = serializers.CharField(help_text="The level's name for setting readiness")
    confidence = serializers.CharField(help_text="The answer a family chooses for home confidence")


class PromptSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    text = serializers.CharField()


class DomainSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    description = serializers.CharField()
    family_description = serializers.CharField(help_text="The area, in the family wording")
    sub_areas = serializers.ListField(child=serializers.CharField())
    descriptors = serializers.ListField(
        child=serializers.CharField(), help_text="What each level means, for staff (by level)"
    )
    family_descriptors = serializers.ListField(
        child=serializers.CharField(),
        help_text="What each level means, in the words families read (by level); the staff "
        "words for a level the file gives no family wording for",
    )
    has_family_wording = serializers.BooleanField(
        help_text="Whether the file gives family wording (framework versions from 1.1)"
    )
    readiness_prompts = PromptSerializer(many=True)
    confidence_prompts = PromptSerializer(many=True)
    planning_prompts = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Ideas for support, by level of need",
    )


class FrameworkSummary(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.CharField()
    age_band = serializers.CharField()
    age_band_label = serializers.CharField()
    name = serializers.CharField()
    current = serializers.BooleanField(help_text="New profiles for this age band use it")
    url = serializers.CharField()


class FrameworkDetail(FrameworkSummary):
    licence = serializers.CharField()
    introduction = serializers.CharField()
    checksum = serializers.CharField()
    significant_from = serializers.IntegerField(help_text="Levels from this one are significant")
    scale = LevelSerializer(many=True)
    domains = DomainSerializer(many=True)


def framework_url(request: Request | None, fw: Framework) -> str:
    return reverse(
        "api:framework",
        kwargs={"framework_id": fw.id, "version": fw.version, "age_band": fw.age_band},
        request=request,
    )


def _summary(request: Request, fw: Framework) -> dict[str, Any]:
    current = registry.current(fw.age_band)
    return {
        "id": fw.id,
        "version": fw.version,
        "age_band": fw.age_band,
        "age_band_label": fw.age_band_label,
        "name": fw.name,
        "current": (current.id, current.version) == (fw.id, fw.version),
        "url": framework_url(request, fw),
    }


def _domain(d: Domain, levels: int) -> dict[str, Any]:
    return {
        "key": d.key,
        "name": d.name,
        "short_name": d.short_name,
        "description": d.description,
        "family_description": d.family_description,
        "sub_areas": list(d.sub_areas),
        "descriptors": list(d.descriptors),
        "family_descriptors": [d.family_descriptor(level) for level in range(levels)],
        "has_family_wording": bool(d.family_descriptors),
        "readiness_prompts": [{"id": p.id, "text": p.text} for p in d.readiness_prompts],
        "confidence_prompts": [{"id": p.id, "text": p.text} for p in d.confidence_prompts],
        "planning_prompts": [list(p) for p in d.planning_prompts],
    }


@extend_schema(
    responses={200: FrameworkSummary(many=True), **problem_responses(401)},
    summary="The frameworks this service has loaded",
    operation_id="frameworks_list",
)
@api_view(["GET"])
def framework_list(request: Request) -> Response:
    frameworks = sorted(registry.loaded(), key=lambda f: (f.id, f.age_band, f.version))
    return Response([_summary(request, fw) for fw in frameworks])


@extend_schema(
    responses={200: FrameworkDetail, **problem_responses(401, 404)},
    summary="One framework: its scale and each area's staff and family wording",
    operation_id="frameworks_retrieve",
)
@api_view(["GET"])
def framework_detail(request: Request, framework_id: str, version: str, age_band: str) -> Response:
    fw = registry.get(framework_id, version, age_band)
    if fw is None:
        raise Http404
    return Response(
        _summary(request, fw)
        | {
            "licence": fw.licence,
            "introduction": fw.introduction,
            "checksum": fw.checksum,
            "significant_from": fw.significant_from,
            "scale": [
                {
                    "level": lv.level,
                    "need": lv.need,
                    "readiness": lv.readiness,
                    "confidence": lv.confidence,
                }
                for lv in fw.scale
            ],
            "domains": [_domain(d, fw.levels) for d in fw.domains],
        }
    )
