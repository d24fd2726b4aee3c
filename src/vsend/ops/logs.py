"""Log lines as JSON objects, one a line, each with the request id (ops/requests.py).

`VSEND_LOG_FORMAT=json` (the default in production) or `text`. Messages are logged as written;
vsend's own log calls name records by id, never a child's details.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served (ops/requests.py), "-" outside a request.
current_request_id: ContextVar[str] = ContextVar("vsend_request_id", default="-")

# Attributes every LogRecord has; anything else was passed in `extra` and is kept.
STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for key, value in record.__dict__.items():
            if key not in STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(fmt: str, level: str) -> dict[str, object]:
    """Django's LOGGING for the given format ("json" or "text")."""
    formatter = (
        {"()": "vsend.ops.logs.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "vsend.ops.logs.RequestIdFilter"}},
        "formatters": {"vsend": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "vsend",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
