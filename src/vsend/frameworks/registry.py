"""The frameworks this instance can use: vsend's own, plus any an authority points it at."""

from datetime import date
from pathlib import Path

from django.conf import settings

from vsend.frameworks.loader import DATA_DIR, Framework, FrameworkError, load_framework

SHIPPED = sorted(DATA_DIR.glob("*.yaml"))
_loaded: dict[tuple[str, str, str], Framework] = {}


def load_configured() -> None:
    """Load every configured file; any broken one raises FrameworkError (refusing start-up)."""
    found: dict[tuple[str, str, str], Framework] = {}
    paths: list[Path | str] = [*SHIPPED, *settings.VSEND_FRAMEWORK_FILES]
    for path in paths:
        fw = load_framework(path)
        key = (fw.id, fw.version, fw.age_band)
        if key in found:
            raise FrameworkError(
                f"Framework file {path}: at id, version and age_band: {fw.id} {fw.version} "
                f"{fw.age_band} is already given by {found[key].path}; give the new file a new version"
            )
        found[key] = fw
    for band in ("under_5", "5_to_25"):
        if not any(k[0] == settings.VSEND_FRAMEWORK_ID and k[2] == band for k in found):
            raise FrameworkError(
                f"No framework file gives VSEND_FRAMEWORK_ID={settings.VSEND_FRAMEWORK_ID!r} for "
                f"age band {band}"
            )
    _loaded.clear()
    _loaded.update(found)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def current(age_band: str) -> Framework:
    """The newest version of the configured framework for an age band."""
    if not _loaded:
        load_configured()
    options = [
        fw
        for (fid, _v, band), fw in _loaded.items()
        if fid == settings.VSEND_FRAMEWORK_ID and band == age_band
    ]
    return max(options, key=lambda fw: _version_key(fw.version))


def get(framework_id: str, version: str, age_band: str) -> Framework | None:
    if not _loaded:
        load_configured()
    return _loaded.get((framework_id, version, age_band))


def loaded() -> list[Framework]:
    """Every framework file this instance has loaded (each version, each age band)."""
    if not _loaded:
        load_configured()
    return list(_loaded.values())


class AgeOutOfRange(ValueError):
    pass


def age_in_months(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - (on.day < born.day)


def age_band_for(born: date, on: date) -> str:
    """Under 5 until the 5th birthday; 5 to 25 until the 26th; refused from 26."""
    months = age_in_months(born, on)
    if months < 0:
        raise AgeOutOfRange("The assessment date is before the child's date of birth")
    if months >= 26 * 12:
        raise AgeOutOfRange(
            "Profiles are for children and young people up to their 26th birthday: this young "
            "person was 26 or older on the assessment date"
        )
    return "under_5" if months < 60 else "5_to_25"


def dashboard_framework() -> Framework:
    """The framework whose scale the dashboards count on: the configured one for 5 to 25."""
    return current("5_to_25")


def sharing_scale(framework: Framework) -> list[tuple[str, str, str]]:
    """(id, version, age band) of every loaded framework whose ratings may be counted with this
    one's: the same number of levels and the same significant level. Others are never pooled."""
    if not _loaded:
        load_configured()
    return sorted(k for k, fw in _loaded.items() if fw.scale_key == framework.scale_key)
