"""Validation of pupil and learner numbers, with messages a person can act on."""

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.gb import upn as stdnum_upn

# A check letter, 11 digits, then a digit (permanent UPN) or a letter (temporary UPN).
UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def normalise_upn(value: str) -> str:
    return value.replace(" ", "").upper()


def validate_upn(value: str) -> None:
    """A unique pupil number: 13 characters, a check letter then 12 digits (or 11 and a letter)."""
    if len(value) == 13 and not UPN_SHAPE.match(value):
        raise ValidationError(
            "UPN must start with a letter followed by 12 numbers, like A123456789012",
            code="upn_format",
        )
    try:
        stdnum_upn.validate(value)
    except InvalidLength:
        raise ValidationError(
            "UPN must be 13 characters, like A123456789012", code="upn_length"
        ) from None
    except InvalidFormat:
        raise ValidationError(
            "UPN must start with a letter followed by 12 numbers, like A123456789012",
            code="upn_format",
        ) from None
    except InvalidComponent:
        raise ValidationError(
            "UPN does not contain a valid local authority number (characters 2 to 4)",
            code="upn_la",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            "UPN is not valid: check it has been copied correctly (the first letter does not "
            "match the rest)",
            code="upn_checksum",
        ) from None


def uln_check_digit(first_nine: str) -> int | None:
    """The ULN check digit, or None where no valid check digit exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def validate_uln(value: str) -> None:
    """A unique learner number: 10 digits, the last a check digit."""
    if len(value) != 10 or not value.isdigit():
        raise ValidationError("ULN must be 10 numbers, like 1234567890", code="uln_format")
    if uln_check_digit(value[:9]) != int(value[9]):
        raise ValidationError(
            "ULN is not valid: check it has been copied correctly", code="uln_checksum"
        )
