"""Dashboards on a framework with 4 levels and with 7: the levels and "significant" come from
the framework, and profiles made on another scale are never pooled with them."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from vsend.frameworks import registry
from vsend.frameworks.loader import DATA_DIR, DOMAIN_KEYS
from vsend.insights import dashboards
from vsend.insights.queries import Filters
from vsend.profiles.models import DomainRating, Profile, Status


def _write(tmp_path, levels, band):
    source = "vsend-open-5-to-25-1.0.yaml" if band == "5_to_25" else "vsend-open-under-5-1.0.yaml"
    data = yaml.safe_load((DATA_DIR / source).read_text())
    data["id"], data["version"] = f"scale-{levels}", "1.0"
    data["scale"] = [
        {"level": i, "need": f"Need {i}", "readiness": f"Ready {i}", "confidence": f"Sure {i}"}
        for i in range(levels)
    ]
    for d in data["domains"]:
        d["descriptors"] = [
            f"The descriptor of level {i} for {d['key']}, in plain words" for i in range(levels)
        ]
        d["planning_prompts"] = [[f"Try the strategies for level {i}"] for i in range(levels)]
    path = tmp_path / f"scale-{levels}-{band}.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.fixture
def framework_of(tmp_path, settings):
    def use(levels):
        settings.VSEND_FRAMEWORK_FILES = [
            _write(tmp_path, levels, b) for b in ("5_to_25", "under_5")
        ]
        settings.VSEND_FRAMEWORK_ID = f"scale-{levels}"
        registry._loaded.clear()
        return registry.current("5_to_25")

    yield use
    registry._loaded.clear()


def _profile(child, fw, need, by):
    p = Profile.objects.create(
        child=child,
        number=1,
        status=Status.FINALISED,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_checksum=fw.checksum,
        age_band="5_to_25",
        assessment_date=timezone.localdate() - timedelta(days=3),
        created_by=by,
    )
    DomainRating.objects.bulk_create(
        DomainRating(profile=p, domain=k, need_level=n, readiness_level=0, confidence_level=0)
        for k, n in zip(DOMAIN_KEYS, need, strict=True)
    )


@pytest.mark.parametrize(
    ("levels", "significant", "need_a", "need_b"),
    [(4, 2, [3, 2, 1, 0, 3], [1, 1, 2, 3, 0]), (7, 4, [6, 4, 3, 0, 5], [2, 5, 6, 1, 4])],
)
def test_levels_and_significance_follow_the_framework(
    world, framework_of, levels, significant, need_a, need_b
):
    shipped = registry.current("5_to_25")
    by = world.users["sendco"]
    fw = framework_of(levels)
    assert (fw.levels, fw.significant_from) == (levels, significant)
    _profile(world.child, fw, need_a, by)
    _profile(world.classmate, fw, need_b, by)
    _profile(world.young_person_child, shipped, [4, 4, 4, 4, 4], by)  # another scale
    sendco = world.users["sendco"]
    for as_at in (
        timezone.localdate(),
        timezone.localdate() - timedelta(days=1),
    ):  # stored, computed
        dash = dashboards.setting_dashboard(sendco, world.setting, Filters(), as_at)
        tables = {t.key: t for t in dash.tables}
        need = tables["need_levels"]
        assert need.columns == ["Area", *[f"Level {i}" for i in range(levels)], "Children"]
        for row, key in zip(need.rows, DOMAIN_KEYS, strict=True):
            i = DOMAIN_KEYS.index(key)
            expected = [0] * levels
            expected[need_a[i]] += 1
            expected[need_b[i]] += 1
            assert row[1:-1] == expected and row[-1] == 2  # the 5-level profile is not pooled
        assert "different scale" in need.description
        sig = tables["significant"]
        assert f"level {significant} to {levels - 1}" in sig.title
        for row, i in zip(sig.rows, range(5), strict=True):
            assert row[1] == (need_a[i] >= significant) + (need_b[i] >= significant)
        assert dict(tables["children"].rows)["With a current profile"] == 3
