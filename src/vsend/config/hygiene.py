"""Input refused or cleaned before any view sees it (see text.py for the text rule).

- A query string with a control character, or any percent-encoding that is not UTF-8, is
  refused with a 400: no link vsend makes contains one.
- A form body that is not UTF-8 is refused with a 400 that says so, rather than read with
  replacement characters.
- Every form value is cleaned by the text rule before forms see it.
- A form body over the upload limit is read (up to a hard cap) with each value cut short, and
  the view handles it as usual: the field's length check says what is too long, and the text
  typed comes back in the form.
"""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string

from vsend.config.problems import is_api, problem
from vsend.config.text import clean_text, has_control
from vsend.config.uploads import BoundedUpload

Handler = Callable[[HttpRequest], HttpResponse]
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
# Each value of an oversized form is cut to this many bytes (still far over any field's limit).
OVERSIZED_VALUE_BYTES = 64 * 1024


class BadInput(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _strict_pairs(raw: bytes | str, where: str) -> list[tuple[str, str]]:
    """The pairs of an urlencoded string, refusing anything that is not UTF-8."""
    data = raw.encode("latin-1") if isinstance(raw, str) else raw
    pairs = []
    for part in data.split(b"&"):
        if not part:
            continue
        key, _, value = part.partition(b"=")
        try:
            pairs.append(
                (
                    unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8"),
                    unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8"),
                )
            )
        except UnicodeDecodeError:
            raise BadInput(
                f"The {where} could not be read because it is not in UTF-8 text. "
                "Type it again rather than pasting it"
            ) from None
    return pairs


def _query_dict(pairs: list[tuple[str, str]]) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in pairs:
        result.appendlist(clean_text(key), clean_text(value))
    result._mutable = False
    return result


def _check_query(request: HttpRequest) -> None:
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return
    for key, value in _strict_pairs(raw, "web address"):
        if has_control(key) or has_control(value):
            raise BadInput("The web address contains a character that is not allowed")


def _read_oversized(request: HttpRequest) -> bytes:
    """The body of a form over the upload limit, each value cut short."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    cap = settings.VSEND_FORM_HARD_LIMIT
    if length > cap:
        raise BadInput(
            f"What you entered is too long to save: a form can hold at most "
            f"{cap // 1_000_000} MB. Go back, shorten the longest answers and save again",
            status=413,
        )
    body = request.read(length)
    parts = []
    for part in body.split(b"&"):
        key, sep, value = part.partition(b"=")
        if len(value) > OVERSIZED_VALUE_BYTES:
            value = value[:OVERSIZED_VALUE_BYTES]
            value = value[: value.rfind(b"%")] if b"%" in value[-3:] else value
            # Never end inside a multi-byte character.
            while value and not _decodes(value):
                value = value[:-1]
        parts.append(key + sep + value)
    return b"&".join(parts)


def _decodes(encoded: bytes) -> bool:
    try:
        unquote_to_bytes(encoded).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_multipart(request: HttpRequest) -> None:
    """Multipart forms (file uploads) are parsed by Django; their values get the same rule.
    No file is kept beyond FILE_UPLOAD_LIMIT_BYTES (see uploads.py)."""
    request.upload_handlers.insert(0, BoundedUpload(request, settings.FILE_UPLOAD_LIMIT_BYTES))
    try:
        post = request.POST
    except RequestDataTooBig:
        raise BadInput(
            "What you entered is too long to save. Go back, shorten the longest answers "
            "and save again",
            status=413,
        ) from None
    pairs = [(k, v) for k, values in post.lists() for v in values]
    if any("\ufffd" in k or "\ufffd" in v for k, v in pairs):
        raise BadInput(
            "The form could not be read because it is not in UTF-8 text. "
            "Type it again rather than pasting it"
        )
    request._post = _query_dict(pairs)  # type: ignore[attr-defined]


def _clean_form(request: HttpRequest) -> None:
    if request.method == "POST" and request.content_type == MULTIPART_TYPE:
        _clean_multipart(request)
        return
    if request.content_type != FORM_TYPE:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise BadInput(
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes",
                status=413,
            )
        return
    if request.method != "POST":
        return
    try:
        body = request.body
    except RequestDataTooBig:
        body = _read_oversized(request)
    request._post = _query_dict(_strict_pairs(body, "form"))  # type: ignore[attr-defined]


class InputHygieneMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check_query(request)
            request.GET = _query_dict(  # type: ignore[assignment]
                _strict_pairs(request.META.get("QUERY_STRING", ""), "web address")
            )
            _clean_form(request)
        except BadInput as exc:
            return refusal(request, exc.message, exc.status)
        return self.get_response(request)


def refusal(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """A clear refusal made before the session or database is touched."""
    if is_api(request):
        return problem(status, message)
    html = render_to_string(
        "errors/bad_input.html",
        {"request": None, "message": message, "cspNonce": str(getattr(request, "csp_nonce", ""))},
    )
    return HttpResponse(html, status=status)
