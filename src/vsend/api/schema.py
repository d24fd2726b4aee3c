"""Schema details true of every operation, added in one place."""

from typing import Any

from vsend.api.problems import PROBLEM_TYPE, WHAT

BIGINT_MAX = 2**63 - 1
# A filter left empty (as a form sends it) means no filter.
ALL: list[str] = [""]
# Addresses with control characters are refused (config/hygiene.py); the schema says so.
NO_CONTROLS = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff]*$"
# Request bodies that refuse fields they do not know (400).
STRICT = {"ProfilePatchRequest", "RatingsPatchRequest", "RatingPatchRequest"}


def describe_common_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every operation needs credentials (401) and answers a bad Accept with 406; integer ids
    are positive 64-bit numbers."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in ("401", "406"):
                operation["responses"].setdefault(
                    code,
                    {
                        "description": WHAT[int(code)],
                        "content": {
                            PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                )
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "format"} & set(schema):
                    schema.setdefault("pattern", NO_CONTROLS)
                if schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", BIGINT_MAX)
                    schema.setdefault("format", "int64")
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in STRICT:
            component["additionalProperties"] = False
    return result
