"""Builds the demo authority. Deterministic and idempotent: running it again changes nothing
but the demo password (and so the demo API tokens)."""

import hashlib
import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from vsend.accounts.models import ApiToken, Membership, User, hash_token
from vsend.accounts.roles import Role
from vsend.aggregates.store import refresh_authority
from vsend.audit.models import Action
from vsend.audit.services import Actor, record, system_actor
from vsend.children.models import CaseAssignment, Child, Enrolment, FamilyLink, Relationship
from vsend.demo import data
from vsend.demo.access_history import add_access_history
from vsend.demo.exchange import add_register_history
from vsend.demo.family_requests import add_family_requests
from vsend.demo.invitations import add_invitations, add_suspended_account
from vsend.demo.moves import add_moves
from vsend.demo.places import build_places
from vsend.demo.profiles import build_profiles
from vsend.demo.provision import build_provision
from vsend.demo.statutory import build_statutory
from vsend.demo.transitions import add_transitions
from vsend.demo.voice import add_voices
from vsend.insights import cache as insight_cache
from vsend.organisations.models import (
    NATIONAL_CURRICULUM_YEARS,
    LocalAuthority,
    Locality,
    SchoolClass,
    Setting,
    Trust,
    YearGroup,
)

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
YEAR_NAMES = dict(NATIONAL_CURRICULUM_YEARS)


@dataclass
class DemoAccount:
    username: str
    role: str
    organisation: str
    organisation_id: int | None
    api_token: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def upn(la: str, establishment: str, year: int, serial: int) -> str:
    digits = f"{la}{establishment}{year % 100:02d}{serial:03d}"
    check = sum(int(d) * w for d, w in zip(digits, range(2, 14), strict=True)) % 23
    return UPN_LETTERS[check] + digits


def uln(seed: int) -> str:
    """A well-formed ULN (10 digits, the last a check digit)."""
    base = 100000000 + seed * 7919 % 899999999
    while True:
        first = str(base)
        total = sum(int(d) * w for d, w in zip(first, range(10, 1, -1), strict=True))
        check = 10 - total % 11
        if check < 10:
            return first + str(check)
        base += 1


def academic_year_start(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def birth_range(year_code: str, start: int) -> tuple[date, date]:
    """Children in a national curriculum year are born between 1 September and 31 August."""
    offset = {"N1": -2, "N2": -1, "R": 0}.get(year_code)
    n = offset if offset is not None else int(year_code)
    first = date(start - 5 - n, 9, 1)
    return first, date(first.year + 1, 8, 31)


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_token(password: str, email: str) -> str:
    return (
        ApiToken.PREFIX + "demo_" + hashlib.sha256(f"{password}|{email}".encode()).hexdigest()[:40]
    )


class Builder:
    def __init__(self, password: str, today: date) -> None:
        self.password = password
        self.password_hash = make_password(password)
        self.today = today
        self.rng = random.Random(2026)  # noqa: S311 - demo data, not security
        self.fake = Faker("en_GB")
        self.fake.seed_instance(2026)
        self.accounts: list[DemoAccount] = []

    # Organisations -------------------------------------------------------------------------

    def organisations(self) -> None:
        self.authority, _ = LocalAuthority.objects.get_or_create(
            code=data.AUTHORITY["code"], defaults={"name": data.AUTHORITY["name"]}
        )
        self.localities = [
            Locality.objects.get_or_create(authority=self.authority, name=name)[0]
            for name in data.LOCALITIES
        ]
        trust, _ = Trust.objects.get_or_create(name=data.TRUST)
        self.settings: dict[str, Setting] = {}
        self.year_groups: dict[tuple[str, str], YearGroup] = {}
        self.classes: dict[tuple[str, str], list[SchoolClass]] = {}
        for spec in data.SETTINGS:
            slug, name, urn, kind, years = spec.slug, spec.name, spec.urn, spec.kind, spec.years
            setting, _ = Setting.objects.get_or_create(
                urn=urn,
                defaults={
                    "name": name,
                    "authority": self.authority,
                    "setting_type": kind,
                    "locality": self.localities[spec.locality],
                    "trust": trust if spec.in_trust else None,
                    "establishment_number": spec.establishment,
                },
            )
            if not setting.establishment_number:  # a demo loaded before vsend held the number
                setting.establishment_number = spec.establishment
                setting.save(update_fields=["establishment_number"])
            self.settings[slug] = setting
            codes = [code for code, _ in NATIONAL_CURRICULUM_YEARS]
            for code in years:
                yg, _ = YearGroup.objects.get_or_create(
                    setting=setting,
                    code=code,
                    defaults={"name": YEAR_NAMES[code], "position": codes.index(code)},
                )
                self.year_groups[(slug, code)] = yg
                letters = "AB" if kind in ("primary", "secondary", "all_through") else "A"
                self.classes[(slug, code)] = [
                    SchoolClass.objects.get_or_create(
                        setting=setting, name=f"{code}{letter}", defaults={"year_group": yg}
                    )[0]
                    for letter in letters
                ]

    # Children ------------------------------------------------------------------------------

    def children(self) -> None:
        start = academic_year_start(self.today)
        existing = set(Child.objects.filter(authority=self.authority).values_list("upn", flat=True))
        self.by_setting: dict[str, list[Child]] = {}
        serial = 0
        for spec in data.SETTINGS:
            slug, kind, estab, count, years = (
                spec.slug,
                spec.kind,
                spec.establishment,
                spec.children,
                spec.years,
            )
            k_rate, e_rate = data.PROVISION_RATES[kind]
            made: list[tuple[Child, str, int]] = []
            for i in range(count):
                serial += 1
                year_code = years[i % len(years)]
                first, last = birth_range(year_code, start)
                if kind == "post_16" and year_code == "14" and i % 3 == 0:
                    first = first.replace(year=first.year - self.rng.randint(1, 5))
                born = first + timedelta(days=self.rng.randint(0, (last - first).days))
                roll = self.rng.random()
                provision = "E" if roll < e_rate else "K" if roll < e_rate + k_rate else "N"
                sex = "M" if self.rng.random() < data.BOYS[provision] else "F"
                primary = secondary = ""
                if provision != "N":
                    weights = (
                        data.NEEDS_SPECIAL_SCHOOL
                        if kind == "special"
                        else data.NEEDS_EARLY_YEARS
                        if kind == "early_years"
                        else data.NEEDS_EHC_PLAN
                        if provision == "E"
                        else data.NEEDS_SEN_SUPPORT
                    )
                    if provision == "E":
                        weights = {k: v for k, v in weights.items() if k != "NSA"}
                    primary = weighted(self.rng, weights)
                    if primary != "NSA" and self.rng.random() < data.SECONDARY_NEED_RATE:
                        others = {
                            k: v
                            for k, v in data.NEEDS_SEN_SUPPORT.items()
                            if k not in (primary, "NSA")
                        }
                        secondary = weighted(self.rng, others)
                first_name = (
                    self.fake.first_name_male() if sex == "M" else self.fake.first_name_female()
                )
                child = Child(
                    authority=self.authority,
                    first_name=first_name,
                    last_name=self.fake.last_name(),
                    preferred_name=first_name[:3]
                    if self.rng.random() < 0.05 and len(first_name) > 4
                    else "",
                    date_of_birth=born,
                    sex=sex,
                    upn=upn(data.AUTHORITY["code"], estab, born.year + 4, serial % 1000),
                    uln=uln(serial) if kind == "post_16" else "",
                    sen_provision=provision,
                    primary_need=primary,
                    secondary_need=secondary,
                    home_language=weighted(self.rng, data.HOME_LANGUAGES),
                )
                made.append((child, year_code, serial))
            new = [(c, y, n) for c, y, n in made if c.upn not in existing]
            Child.objects.bulk_create([c for c, _, _ in new])
            by_upn = {
                c.upn: c
                for c in Child.objects.filter(
                    authority=self.authority, upn__in=[c.upn for c, _, _ in made]
                )
            }
            enrolments = []
            for child, year_code, n in new:
                saved = by_upn[child.upn]
                classes = self.classes[(slug, year_code)]
                enrolments.append(
                    Enrolment(
                        child=saved,
                        setting=self.settings[slug],
                        year_group=self.year_groups[(slug, year_code)],
                        school_class=classes[saved.pk % len(classes)],
                        started_on=date(start - n % 3, 9, 1 + n % 7),
                    )
                )
            Enrolment.objects.bulk_create(enrolments)
            self.by_setting[slug] = [by_upn[c.upn] for c, _, _ in made]

    # People --------------------------------------------------------------------------------

    def user(self, local: str, full_name: str, role: str, **membership: object) -> User:
        email = f"{local}@{data.EMAIL_DOMAIN}"
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.password = self.password_hash
        user.save(update_fields=["password"])
        m, _ = Membership.objects.get_or_create(user=user, role=role, **membership)  # type: ignore[arg-type]
        raw = demo_token(self.password, email)
        # Loading the demo again renews its tokens, so each one printed works.
        expires = timezone.now() + timedelta(days=settings.VSEND_API_TOKEN_DAYS)
        ApiToken.objects.update_or_create(
            key_hash=hash_token(raw),
            defaults={"expires_at": expires},
            create_defaults={
                "user": user,
                "name": "Demo token",
                "key_hint": raw[: len(ApiToken.PREFIX) + 4],
                "expires_at": expires,
            },
        )
        org = m.setting or m.authority
        self.accounts.append(
            DemoAccount(email, role, str(org or "All authorities"), getattr(org, "pk", None), raw)
        )
        return user

    def people(self) -> None:
        la = self.authority
        self.user("platform.admin", "Pat Okafor", Role.PLATFORM_ADMIN)
        self.user("la.admin", "Alex Morgan", Role.LA_ADMIN, authority=la)
        self.user("la.officer", "Sam Patel", Role.LA_OFFICER, authority=la)
        caseworker = self.user("caseworker", "Jordan Reid", Role.CASEWORKER, authority=la)
        for slug, setting in self.settings.items():
            self.user(
                f"sendco.{slug}", self.fake.name(), Role.SENDCO, authority=la, setting=setting
            )
        for slug in ("brookside", "fenmoor-academy", "oakfield"):
            setting = self.settings[slug]
            teacher = self.user(
                f"teacher.{slug}", self.fake.name(), Role.TEACHER, authority=la, setting=setting
            )
            membership = teacher.memberships.get(role=Role.TEACHER, setting=setting)
            first_two = [c for key, cs in self.classes.items() if key[0] == slug for c in cs][:2]
            membership.classes.add(*first_two)

        for slug in ("brookside", "fenmoor-academy"):
            self.user(
                f"governor.{slug}",
                self.fake.name(),
                Role.GOVERNOR,
                authority=la,
                setting=self.settings[slug],
            )

        # A caseworker is named for children with EHC plans across both localities.
        ehc = [c for kids in self.by_setting.values() for c in kids if c.sen_provision == "E"]
        for child in ehc[::2][:30]:
            CaseAssignment.objects.get_or_create(
                child=child,
                caseworker=caseworker,
                defaults={"started_on": self.today - timedelta(days=200)},
            )

        # Parents of children with SEN in several settings, one family with two children.
        n = 0
        for slug in (
            "little-acorns",
            "brookside",
            "st-hildas",
            "fenmoor-academy",
            "oakfield",
            "riverside",
        ):
            sen = [c for c in self.by_setting[slug] if c.sen_provision != "N"][:3]
            for child in sen:
                n += 1
                relationship = Relationship.MOTHER if n % 3 else Relationship.FATHER
                first = (
                    self.fake.first_name_female()
                    if relationship == Relationship.MOTHER
                    else self.fake.first_name_male()
                )
                parent = self.user(
                    f"parent{n}", f"{first} {child.last_name}", Role.PARENT, authority=la
                )
                FamilyLink.objects.get_or_create(
                    child=child, user=parent, defaults={"relationship": relationship}
                )
        sibling = next(c for c in self.by_setting["riverside"] if c.sen_provision == "N")
        first_parent = User.objects.get(email=f"parent1@{data.EMAIL_DOMAIN}")
        FamilyLink.objects.get_or_create(
            child=sibling, user=first_parent, defaults={"relationship": Relationship.MOTHER}
        )

        # A young person of 16 or over with their own account.
        adult = next(c for c in self.by_setting["fenmoor-college"] if c.age_on(self.today) >= 16)
        self.user("young.person", adult.full_name, Role.YOUNG_PERSON, authority=la, child=adult)

    # Profiles ------------------------------------------------------------------------------

    def profiles(self) -> None:
        sendcos = {
            m.setting_id: m.user
            for m in Membership.objects.filter(
                role=Role.SENDCO, setting__authority=self.authority
            ).select_related("user")
        }
        children = [c for kids in self.by_setting.values() for c in kids]
        current = dict(
            Enrolment.objects.current()
            .filter(child__in=children)
            .values_list("child_id", "setting_id")
        )
        build_profiles(children, {c.pk: sendcos[current[c.pk]] for c in children}, self.today)


@transaction.atomic
def load_demo(
    password: str, today: date | None = None, actor: Actor | None = None
) -> list[DemoAccount]:
    actor = actor or system_actor("demo")
    builder = Builder(password, today or timezone.localdate())
    builder.organisations()
    builder.children()
    builder.people()
    add_invitations(builder)
    add_suspended_account(builder)
    builder.profiles()
    add_moves(builder)
    add_family_requests(builder)
    add_voices(builder)
    build_provision(builder.today)
    build_statutory(User.objects.get(email=f"caseworker@{data.EMAIL_DOMAIN}"), builder.today)
    add_transitions(builder)
    add_register_history(builder)
    build_places(builder.authority, builder.today)
    add_access_history(builder)
    insight_cache.bump(builder.authority.pk)
    refresh_authority(builder.authority.pk)
    record(
        actor,
        Action.CREATE,
        object_type="demo",
        authority_id=builder.authority.pk,
        summary="Demo authority loaded",
    )
    return builder.accounts
