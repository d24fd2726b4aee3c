"""The API's errors in its schema: the `Problem` component (RFC 9457 problem details, made by
config/problems.py) and the refusals each operation can answer with."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers

PROBLEM_TYPE = "application/problem+json"


class Problem(serializers.Serializer[Any]):
    type = serializers.CharField(
        default="about:blank", help_text="A URI naming the kind of problem; about:blank for none"
    )
    title = serializers.CharField(help_text="A short summary of the kind of problem")
    status = serializers.IntegerField(min_value=400, max_value=599, help_text="The HTTP status")
    detail = serializers.CharField(
        required=False, help_text="What went wrong with this request, in words"
    )
    instance = serializers.CharField(
        required=False, help_text="A URI for this occurrence of the problem, when there is one"
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # Added here, not as an attribute, which would hide Serializer.errors.
        fields = super().get_fields()
        fields["errors"] = serializers.DictField(
            required=False,
            help_text="For bad input (400): the messages for each field, by the field's name "
            "(a list of messages, or for a nested field its own fields and messages)",
        )
        return fields


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


WHAT = {
    400: "The request was not valid: see errors",
    401: "No valid credentials were given",
    403: "The user's role does not allow this",
    404: "Not found, or outside what the user may see",
    405: "This method is not allowed here",
    406: "The requested media type cannot be given",
    409: "The record has changed, or is in a state that does not allow this",
    413: "The request body is too large",
    415: "The request body's media type is not supported",
    429: "Too many requests: try again later",
    500: "Something went wrong on the server; nothing was changed",
}


def problem_responses(*codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Schema entries for the problems an operation can answer with."""
    return {
        (code, PROBLEM_TYPE): OpenApiResponse(Problem, description=WHAT[code]) for code in codes
    }
