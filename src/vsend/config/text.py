"""One rule for text coming in, from forms, query strings and the API.

Every value is NFC-normalised (so "é" typed two ways is stored one way) and loses control
characters: C0 and C1 controls except tab, newline and carriage return, and the noncharacters
U+FFFE and U+FFFF. None of these can be typed on purpose, PostgreSQL cannot store NUL, and XML
(the chart, the PDF) cannot hold most of them. Lengths are bounded by each field; the request
as a whole is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

import re
import unicodedata
from xml.sax.saxutils import escape as _escape

# Allowed: \t \n \r. Everything else below U+0020, DEL..U+009F, and U+FFFE/U+FFFF goes.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def has_control(value: str) -> bool:
    return CONTROL.search(value) is not None


def clean_text(value: str) -> str:
    """The text as vsend stores it: NFC-normalised, without control characters."""
    if not value:
        return value
    if value.isascii():
        # No normalisation needed; only the C0 controls and DEL can be present.
        return CONTROL.sub("", value)
    return CONTROL.sub("", unicodedata.normalize("NFC", value))


def xml_safe(value: str) -> str:
    """Text that may be written into XML (an SVG or the PDF's HTML) whatever is stored."""
    return CONTROL.sub("", value)


def xml_escape(value: str) -> str:
    """Escaped for XML text or attributes, any control character dropped first."""
    return _escape(xml_safe(value), {'"': "&quot;"})
