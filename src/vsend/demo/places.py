"""Demo special-school place planning for Fenmoor: map positions for its settings (fictional
national-grid points), two more special schools with their own pupils, designations and places
for them, Oakfield and a resourced provision at Brookside, home-area centres for six postcode
districts and both localities, and children in each priority funnel. Safe to run again."""

import random
from datetime import date, timedelta

from faker import Faker

from vsend.audit.models import Action
from vsend.audit.services import record, system_actor
from vsend.children.models import Child, Enrolment
from vsend.demo import data
from vsend.organisations.models import LocalAuthority, Locality, Setting, YearGroup
from vsend.places.geography import YEAR_CODES, YEAR_NAMES
from vsend.places.models import Centroid, Designation, Placement

# (easting, northing) in metres: a made-up stretch of fen.
POINTS = {
    "900101": (545400, 302100),
    "900102": (546900, 303300),
    "900103": (541800, 299600),
    "900104": (544100, 296800),
    "900105": (538700, 305200),
    "900106": (547500, 297400),
    "900107": (543000, 300900),
    "900108": (544600, 297900),
}
DISTRICTS = {
    "FM1": (545800, 302600),
    "FM2": (548300, 299100),
    "FM3": (541200, 300400),
    "FM4": (537900, 306100),
    "FM5": (552600, 295800),
    "FM6": (539400, 293700),
}
LOCALITY_POINTS = {"North Fenmoor": (543500, 304000), "South Fenmoor": (545500, 296500)}
# slug, name, URN, locality, point, needs ("" for all), places, first and last year, pupils
NEW_SCHOOLS = [
    (
        "willowbank",
        "Willowbank School",
        "900109",
        0,
        (539900, 304700),
        "ASD,SEMH,SLCN",
        16,
        "3",
        "11",
        17,
    ),
    (
        "marshgate",
        "Marshgate School",
        "900110",
        1,
        (551400, 296300),
        "DS,PD,PMLD,SLD",
        14,
        "R",
        "14",
        12,
    ),
]
NEEDS = {"willowbank": ["ASD", "ASD", "SLCN", "SEMH"], "marshgate": ["SLD", "PMLD", "DS", "PD"]}


def _pos(code: str) -> int:
    return YEAR_CODES.index(code)


def build_places(authority: LocalAuthority, today: date) -> None:
    from vsend.demo.loader import academic_year_start, birth_range  # the loader imports this

    if Designation.objects.filter(setting__authority=authority).exists():
        return
    rng = random.Random(28)  # noqa: S311 - demo data, not security
    fake = Faker("en_GB")
    fake.seed_instance(28)
    for urn, (e, n) in POINTS.items():
        Setting.objects.filter(urn=urn, easting__isnull=True).update(easting=e, northing=n)
    areas = [
        Centroid.objects.get_or_create(
            authority=authority,
            name=name,
            defaults={"kind": "district", "easting": e, "northing": n},
        )[0]
        for name, (e, n) in DISTRICTS.items()
    ]
    for name, (e, n) in LOCALITY_POINTS.items():
        Centroid.objects.get_or_create(
            authority=authority,
            name=name,
            defaults={"kind": "locality", "easting": e, "northing": n},
        )
    localities = list(Locality.objects.filter(authority=authority).order_by("name"))
    start = academic_year_start(today)
    for slug, name, urn, loc, (e, n), needs, places, first, last, pupils in NEW_SCHOOLS:
        school, _ = Setting.objects.get_or_create(
            urn=urn,
            defaults={
                "authority": authority,
                "locality": localities[loc],
                "name": name,
                "setting_type": "special",
                "easting": e,
                "northing": n,
                "establishment_number": "70" + urn[-2:],
            },
        )
        codes = YEAR_CODES[_pos(first) : _pos(last) + 1]
        groups = [
            YearGroup.objects.get_or_create(
                setting=school, code=c, defaults={"name": YEAR_NAMES[c], "position": _pos(c)}
            )[0]
            for c in codes
        ]
        Designation.objects.create(
            setting=school,
            all_needs=False,
            needs=needs,
            places=places,
            first_year=_pos(first),
            last_year=_pos(last),
        )
        for i in range(pupils):
            group = groups[rng.randrange(len(groups))]
            lo, hi = birth_range(group.code, start)
            child = Child.objects.create(
                authority=authority,
                first_name=fake.first_name_male() if i % 3 else fake.first_name_female(),
                last_name=fake.last_name(),
                date_of_birth=lo + timedelta(days=rng.randrange((hi - lo).days)),
                sex="F" if i % 3 == 0 else "M",
                sen_provision="E",
                primary_need=NEEDS[slug][i % 4],
            )
            began = date(start - rng.randrange(0, 3), 9, 1)
            Enrolment.objects.create(
                child=child, setting=school, year_group=group, started_on=began
            )
            Placement.objects.create(child=child, home_area=rng.choice(areas))
    settings = {s.urn: s for s in Setting.objects.filter(authority=authority)}
    Designation.objects.create(
        setting=settings["900106"],
        all_needs=True,
        places=40,
        first_year=_pos("R"),
        last_year=_pos("14"),
    )
    Designation.objects.create(
        setting=settings["900102"],
        kind=Designation.Kind.RESOURCED,
        needs="ASD,SLCN",
        places=8,
        first_year=_pos("R"),
        last_year=_pos("6"),
    )
    # Oakfield's pupils live across the county.
    for child_id in (
        Enrolment.objects.current(today)
        .filter(setting=settings["900106"])
        .values_list("child_id", flat=True)
    ):
        Placement.objects.get_or_create(
            child_id=child_id, defaults={"home_area": rng.choice(areas)}
        )
    # Funnel A: children with plans in mainstream awaiting a special place.
    waiting = list(
        Child.objects.filter(
            authority=authority,
            sen_provision="E",
            primary_need__in=["ASD", "SLCN", "SLD", "SEMH"],
            enrolments__setting__urn__in=["900102", "900103", "900104"],
        )
        .exclude(placement__isnull=False)
        .order_by("pk")[:4]
    )
    for i, child in enumerate(waiting):
        Placement.objects.create(child=child, awaiting_since=today - timedelta(days=40 + 30 * i))
    # Funnels B and C: children the authority places elsewhere or teaches at home.
    for i, (kind, need, year) in enumerate(
        [
            ("ooa", "ASD", "9"),
            ("ooa", "SEMH", "10"),
            ("tuition", "SEMH", "8"),
            ("tuition", "ASD", "5"),
        ]
    ):
        lo, hi = birth_range(year, start)
        child = Child.objects.create(
            authority=authority,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            date_of_birth=lo + timedelta(days=rng.randrange((hi - lo).days)),
            sex="M",
            sen_provision="E",
            primary_need=need,
        )
        since = today - timedelta(days=120 + 45 * i)
        Placement.objects.create(
            child=child,
            home_area=areas[i % len(areas)],
            awaiting_since=since,
            home_tuition_since=since + timedelta(days=14) if kind == "tuition" else None,
            out_of_authority_since=since if kind == "ooa" else None,
            out_of_authority_provider="Fen Edge Independent School" if kind == "ooa" else "",
        )
    record(
        system_actor("demo"),
        Action.CREATE,
        object_type="place_planning",
        authority_id=authority.pk,
        summary=f"Demo special-school places for {data.AUTHORITY['name']}",
    )
