import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS, FrameworkError, load_framework
from vsend.frameworks.registry import AgeOutOfRange, age_band_for

SHIPPED = registry.SHIPPED


def test_the_shipped_frameworks_validate_and_cover_both_age_bands():
    frameworks = [load_framework(p) for p in SHIPPED]
    # Every version ships for both age bands (1.0 stays for the profiles made with it).
    assert sorted((f.version, f.age_band) for f in frameworks) == [
        ("1.0", "5_to_25"),
        ("1.0", "under_5"),
        ("1.1", "5_to_25"),
        ("1.1", "under_5"),
    ]
    for f in frameworks:
        assert [d.key for d in f.domains] == list(DOMAIN_KEYS)
        assert [lv.level for lv in f.scale] == [0, 1, 2, 3, 4]
        assert all(len(d.descriptors) == 5 for d in f.domains)
        assert len(f.checksum) == 64
    assert registry.current("under_5").age_band == "under_5"


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SHIPPED[0].read_text())
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("change", "place", "problem"),
    [
        (
            lambda d: d["domains"][2].pop("descriptors"),
            "domains[2]",
            "'descriptors' is a required property",
        ),
        (
            lambda d: d["domains"][1]["descriptors"].pop(),
            "domains[1].descriptors",
            "one entry per scale level",
        ),
        (lambda d: d["scale"][1].update(level=7), "scale", "levels must be 0, 1, 2"),
        (
            lambda d: d["domains"].pop(),
            "domains",
            "should be non-empty" if False else "is too short",
        ),
        (lambda d: d.update(age_band="teenagers"), "age_band", "'teenagers' is not one of"),
    ],
)
def test_a_broken_framework_file_is_refused_naming_the_file_place_and_problem(
    tmp_path, change, place, problem
):
    path = _broken(tmp_path, change)
    with pytest.raises(FrameworkError) as exc:
        load_framework(path)
    message = str(exc.value)
    assert str(path) in message and f"at {place}" in message and problem in message


def test_a_framework_file_that_is_not_yaml_is_refused_with_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: vsend-open\nscale: [\n  - oops: : :\n")
    with pytest.raises(FrameworkError, match=r"bad.yaml: at line \d+, column \d+"):
        load_framework(path)


def test_start_up_is_refused_with_a_broken_framework_file(tmp_path):
    path = _broken(tmp_path, lambda d: d["domains"][0].pop("key"))
    env = {"VSEND_FRAMEWORK_FILES": str(path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "vsend.config.cli", "check"], env=env, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert str(path) in out.stderr and "'key' is a required property" in out.stderr


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (date(2020, 6, 15), date(2025, 6, 14), "under_5"),  # 4 years 11 months
        (date(2020, 6, 15), date(2025, 6, 15), "5_to_25"),  # 5th birthday
        (date(2000, 6, 15), date(2025, 6, 15), "5_to_25"),  # 25
        (date(2000, 6, 16), date(2026, 6, 15), "5_to_25"),  # the day before the 26th birthday
    ],
)
def test_the_version_is_chosen_from_age_on_the_assessment_date(born, on, band):
    assert age_band_for(born, on) == band


def test_twenty_six_and_over_is_refused():
    with pytest.raises(AgeOutOfRange, match="26th birthday"):
        age_band_for(date(2000, 6, 15), date(2026, 6, 15))


def test_two_files_claiming_the_same_framework_version_are_refused(settings):
    settings.VSEND_FRAMEWORK_FILES = [str(SHIPPED[0])]
    try:
        with pytest.raises(FrameworkError, match="is already given by"):
            registry.load_configured()
    finally:
        settings.VSEND_FRAMEWORK_FILES = []
        registry.load_configured()
