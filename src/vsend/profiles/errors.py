"""Why a profile write was refused."""

from typing import Any


class ProfileLocked(Exception):
    """The profile is finalised: it can be read and reviewed, never changed."""


class StaleProfile(Exception):
    """Someone else saved this draft after the editor loaded it."""


class ProfileNotReady(Exception):
    """Finalising needs every step completed."""


class DraftExists(Exception):
    def __init__(self, draft: Any) -> None:
        super().__init__("This child already has a draft profile")
        self.draft = draft


class FrameworkUnavailable(Exception):
    """The framework a profile was made with is not loaded, or its file has changed since."""

    def __init__(self, profile: Any) -> None:
        super().__init__(
            f"Profile {profile.pk} was made with framework {profile.framework_id} "
            f"{profile.framework_version} ({profile.age_band}), checksum {profile.framework_checksum[:12]}, "
            "which this service does not have loaded unchanged"
        )
        self.profile = profile


class OutOfOrder(Exception):
    """A review must be dated after the profile it replaces, so that on any date a child has
    at most one current profile."""

    def __init__(self, previous: Any) -> None:
        super().__init__(
            f"The assessment date must be after {previous.assessment_date.day} "
            f"{previous.assessment_date:%B %Y}, the date of profile {previous.number}, "
            "which this review replaces"
        )
        self.previous = previous
