"""Place-planning pages: the authority's view (exact for its administrators, suppressed for LA
officers), downloads, and the bounded forms for designations, home areas and placements."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.test_places import Y3, kid
from tests.test_places import places as places  # noqa: F401 - the fixture
from vsend.audit.models import AuditEvent
from vsend.children.models import Child, Enrolment
from vsend.places.models import Centroid, Designation, Placement
from vsend.places.planning import compute


def test_administrator_sees_exact_figures(places, as_user):
    page = as_user("la_admin").get(reverse("places:authority")).content.decode()
    assert "Near School" in page and "Free places" in page
    assert "How the forecast is worked out" in page and "moves up a year" in page
    assert "To protect children" not in page
    assert "<svg" in page


def test_officer_sees_only_suppressed_counts(places, as_user):
    page = as_user("la_officer").get(reverse("places:authority")).content.decode()
    assert "To protect children" in page and "1 to 7" in page
    assert ">Free places<" not in page and ">Recent growth<" not in page
    assert "Change designations" not in page


def test_downloads(places, as_user):
    client = as_user("la_officer")
    csv = client.get(reverse("places:authority-csv"))
    assert csv["Content-Type"].startswith("text/csv")
    assert "1 to 7" in csv.content.decode() and "Free places" not in csv.content.decode()
    xlsx = client.get(reverse("places:authority-xlsx"))
    assert xlsx.content[:2] == b"PK"


def test_computation_reads_a_fixed_number_of_queries(places, world):
    with CaptureQueriesContext(connection) as few:
        compute(world.authority, timezone.localdate())
    d1 = Centroid.objects.get(name="D1")
    for n in range(20):
        kid(world, f"more{n}", Y3, "ASD", at=places["far"], area=d1)
        kid(world, f"wait{n}", Y3, "ASD", area=d1, awaiting_since=date(2026, 1, 1))
    with CaptureQueriesContext(connection) as many:
        compute(world.authority, timezone.localdate())
    assert len(many) == len(few) <= 8


def test_designation_form_errors_keep_what_was_typed(world, as_user):
    client = as_user("la_admin")
    url = reverse("places:designation", args=[world.setting.pk])
    page = client.get(url).content.decode()
    assert "Resourced provision" in page
    bad = client.post(
        url,
        {
            "kind": "special",
            "scope": "some",
            "places": "eighty",
            "first_year": "8",
            "last_year": "2",
        },
    ).content.decode()
    assert "Choose at least one need, or choose all needs" in bad
    assert "Places must be a whole number, like 80" in bad
    assert 'value="eighty"' in bad
    assert "The oldest year group must be the youngest or older" in bad
    assert not Designation.objects.exists()


def test_designation_saved_once(world, as_user):
    client = as_user("la_admin")
    url = reverse("places:designation", args=[world.setting.pk])
    data = {
        "kind": "resourced",
        "scope": "some",
        "needs": ["SLCN", "ASD"],
        "places": "12",
        "first_year": "2",
        "last_year": "8",
    }
    assert client.post(url, data).status_code == 302
    d = Designation.objects.get()
    assert (d.kind, d.needs, d.places, d.version) == ("resourced", "ASD,SLCN", 12, 1)
    events = AuditEvent.objects.filter(object_type="designation").count()
    assert client.post(url, data).status_code == 302  # a double click: nothing changes
    d.refresh_from_db()
    assert d.version == 1 and AuditEvent.objects.filter(object_type="designation").count() == events
    client.post(url, {**data, "places": "14"})
    d.refresh_from_db()
    assert (d.places, d.version) == (14, 2)


def test_areas_form(world, as_user):
    client = as_user("la_admin")
    url = reverse("places:areas", args=[world.authority.pk])
    bad = client.post(url, {"rows": "FM1, district, 545200\nFM2, district, x, 1"}).content.decode()
    assert "Line 1 must have 4 values: name, kind, easting, northing" in bad
    assert "FM2, district, x, 1" in bad
    bad = client.post(url, {"rows": "FM1, county, 1, 2"}).content.decode()
    assert "Line 1: the kind must be district or locality" in bad
    bad = client.post(url, {"rows": "FM1, district, 1, 2\nfm1, district, 3, 4"}).content.decode()
    assert "Line 2: fm1 is named twice" in bad
    ok = "name,kind,easting,northing\nFM1, district, 545200, 301800\nNorth, locality, 1, 2"
    assert client.post(url, {"rows": ok}).status_code == 302
    assert Centroid.objects.filter(authority=world.authority).count() == 2
    assert client.post(url, {"rows": "FM1, district, 545300, 301800"}).status_code == 302
    only = Centroid.objects.get(authority=world.authority)
    assert (only.name, only.easting) == ("FM1", 545300)


def test_placement_form(world, as_user):
    area = Centroid.objects.create(
        authority=world.authority, kind="district", name="FM1", easting=1, northing=2
    )
    Centroid.objects.create(
        authority=world.other_authority, kind="district", name="ZZ9", easting=1, northing=2
    )
    client = as_user("caseworker")
    url = reverse("places:placement", args=[world.child.pk])
    page = client.get(url).content.decode()
    assert "FM1" in page and "ZZ9" not in page  # only the child's authority's areas
    bad = client.post(
        url,
        {
            "home_tuition_since-day": "1",
            "home_tuition_since-month": "2",
            "home_tuition_since-year": "2026",
        },
    ).content.decode()
    assert "Enter the date they began awaiting a place" in bad
    data = {
        "home_area": str(area.pk),
        "awaiting_since-day": "1",
        "awaiting_since-month": "1",
        "awaiting_since-year": "2026",
    }
    assert client.post(url, data).status_code == 302
    p = Placement.objects.get(child=world.child)
    assert (p.home_area_id, p.awaiting_since, p.version) == (area.pk, date(2026, 1, 1), 1)
    assert client.post(url, data).status_code == 302
    p.refresh_from_db()
    assert p.version == 1


def test_schools_page_lists_designated_and_others(places, world, as_user):
    page = as_user("la_admin").get(reverse("places:schools", args=[world.authority.pk]))
    text = page.content.decode()
    assert "Near School" in text and "Designate a resourced provision at Setting A1" in text
    assert Child.objects.exists() and Enrolment.objects.exists()


def test_designation_form_sets_the_map_position(world, as_user):
    client = as_user("la_admin")
    url = reverse("places:designation", args=[world.setting.pk])
    data = {"kind": "special", "scope": "all", "places": "30", "first_year": "2", "last_year": "8"}
    bad = client.post(url, {**data, "easting": "545200"}).content.decode()
    assert "Enter the northing as well, or neither" in bad
    bad = client.post(url, {**data, "easting": "9999999", "northing": "1"}).content.decode()
    assert "Easting must be 700,000 or less" in bad
    assert client.post(url, {**data, "easting": "545200", "northing": "301800"}).status_code == 302
    world.setting.refresh_from_db()
    assert (world.setting.easting, world.setting.northing) == (545200, 301800)


def test_administrator_sees_the_funnel_children_listed_and_audited(places, as_user):
    page = as_user("la_admin").get(reverse("places:authority")).content.decode()
    assert "Children in the priority funnels" in page and "p3 Place" in page
    event = AuditEvent.objects.filter(object_type="place_planning").latest("pk")
    assert event.detail["count"] == 9 and event.action == "view"
    assert AuditEvent.objects.filter(object_type="place_planning").count() == 1
    officer = as_user("la_officer").get(reverse("places:authority")).content.decode()
    assert "p3 Place" not in officer and "funnel-children" not in officer
