"""The differencing attack (insights/attack.py) against the demo authority: everything an LA
officer and a governor can fetch, every as-at term they can choose, solved as integer equations.
No count from 1 to 4 may be pinned to one value."""

import pytest
from django.core.management import call_command

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.insights import attack_run, published, suppression
from vsend.organisations.models import LocalAuthority, Setting


def _exact(value: int) -> int | str:
    return "fewer than 5" if 0 < value < 5 else value


@pytest.mark.django_db
def test_no_small_count_can_be_worked_out_and_the_attack_can_fail(monkeypatch, settings):
    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    call_command("demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    authority = LocalAuthority.objects.get(code__isnull=False, name__startswith="Fenmoor")
    officer = User.objects.get(memberships__role=Role.LA_OFFICER, email__startswith="la.officer")
    governor = Membership.objects.filter(role=Role.GOVERNOR).select_related("user", "setting")[0]

    result = attack_run.attack(officer, authority)
    assert result.tried > 100  # plenty of small counts were tried
    assert result.findings == [], result.findings[:5]
    # The authority's page and, for each of its settings, the setting's page and its API twin.
    settings_count = Setting.objects.filter(authority=authority).count()
    assert settings_count >= 8
    assert result.requests == len(attack_run.as_at_choices()) * (1 + 2 * settings_count)
    result = attack_run.attack(governor.user, authority, setting=governor.setting)
    assert result.findings == []

    # The same attack against exact figures with only small counts hidden (the rule before
    # rounding) pins small counts: the test can fail.
    monkeypatch.setattr(published, "count", _exact)
    monkeypatch.setattr(published, "MIN_DETAIL", 0)
    monkeypatch.setattr(suppression, "ROUNDING", 1)
    monkeypatch.setattr(suppression, "HIDDEN", "fewer than 5")
    monkeypatch.setattr(suppression, "HIDDEN_MAX", 4)
    monkeypatch.setattr(attack_run, "as_at_choices", lambda: [{}])
    from django.core.cache import cache

    cache.clear()
    exposed = attack_run.attack(officer, authority)
    assert exposed.findings, "the attack found nothing even in exact figures"


@pytest.mark.django_db
def test_no_small_timeliness_count_can_be_worked_out_and_the_attack_can_fail(monkeypatch, settings):
    """The statutory timeliness tables (the term, each month, locality and setting), summed
    from the stored per-setting rows: the same attack, the same rule."""
    from vsend.insights import attack_timeliness

    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    call_command("demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    authority = LocalAuthority.objects.get(code__isnull=False, name__startswith="Fenmoor")
    findings, tried = attack_timeliness.attack(authority)
    assert tried > 0 and findings == [], findings[:5]

    # With every count shown as it is, the attack pins the small ones: the test can fail.
    # (With only 1 to 4 hidden, the demo's few cases a term leave nothing to difference.)
    monkeypatch.setattr(published, "count", lambda value: max(value, 0))
    monkeypatch.setattr(suppression, "count", lambda value: max(value, 0))
    monkeypatch.setattr(suppression, "ROUNDING", 1)
    exposed, _ = attack_timeliness.attack(authority)
    assert exposed, "the attack found nothing even in exact figures"
