"""Driving a profile through its steps with the test client, as a SENDCo would."""

from datetime import date

from django.urls import reverse

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import Profile

NEEDS = dict(zip(DOMAIN_KEYS, [3, 2, 1, 0, 2], strict=True))
READINESS = dict(zip(DOMAIN_KEYS, [2, 2, 2, 1, 1], strict=True))
CONFIDENCE = dict(zip(DOMAIN_KEYS, [1, 3, 1, 2, 2], strict=True))


def day(prefix: str, d: date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(d.day),
        f"{prefix}-month": str(d.month),
        f"{prefix}-year": str(d.year),
    }


def lock(profile_pk: int) -> str:
    return str(Profile.objects.get(pk=profile_pk).lock_version)


def step_data(step: str, profile_pk: int, **extra) -> dict[str, str]:
    data: dict[str, object] = {"lock_version": lock(profile_pk)}
    if step == "about":
        data |= day("assessment_date", date(2026, 11, 2)) | {
            "strengths": "Loves drawing and trains",
            "child_views": "Likes quiet corners",
            "aspirations": "To be a train driver",
            "family_views": "Mornings are hard",
        }
    elif step == "needs":
        for k, v in NEEDS.items():
            data |= {f"need__{k}": str(v), f"evidence__{k}": f"Seen in class ({k})"}
    elif step == "readiness":
        for k, v in READINESS.items():
            data |= {f"readiness__{k}": str(v), f"rnote__{k}": ""}
    elif step == "home":
        for k, v in CONFIDENCE.items():
            data |= {f"confidence__{k}": str(v), f"cnote__{k}": ""}
    elif step == "plan":
        k = DOMAIN_KEYS[0]
        data |= {
            f"what__{k}": "Asks for help using a card",
            f"know__{k}": "Uses the card 3 times a week",
        }
        data |= day(f"when__{k}", date(2027, 2, 1)) | day("review_date", date(2026, 12, 21))
        data |= {
            f"a0what__{k}": "Visual timetable",
            f"a0who__{k}": "Class teacher",
            f"a0often__{k}": "Daily",
        }
        data |= day(f"a0from__{k}", date(2026, 11, 9))
    data |= extra
    return {k: str(v) for k, v in data.items()}


def start_profile(client, child) -> int:
    response = client.post(
        reverse("profiles:start", kwargs={"child_pk": child.pk}),
        day("assessment_date", date(2026, 11, 2)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Profile.objects.filter(child=child).order_by("-number").first().pk


def complete_profile(client, child, finalise: bool = True) -> int:
    pk = start_profile(client, child)
    for step in ("about", "needs", "readiness", "home", "plan"):
        response = client.post(
            reverse("profiles:step", kwargs={"pk": pk, "step": step}), step_data(step, pk)
        )
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    if finalise:
        response = client.post(
            reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": lock(pk)}
        )
        assert response.status_code == 302
    return pk
