"""Log records as one JSON object a line, each carrying the id of the request it belongs to."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served in this thread or task; "-" outside a request.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")

# Attributes every LogRecord has; anything else was passed in `extra` and goes into the line.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so a line can be traced to its request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
            # Which gunicorn worker wrote it.
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(log_format: str, level: str) -> dict:
    """The settings' LOGGING: `log_format` "json" (production: one JSON object a line, with one
    access line per request) or "text" (development: readable lines, no access lines)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "aifabriek.ops.jsonlog.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "aifabriek.ops.jsonlog.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "funding.access": {"level": "INFO" if log_format == "json" else "WARNING"},
            # The access line already records every answer; Django's own line for each 4xx/5xx would
            # repeat it (errors with a traceback still come through django.request at ERROR).
            "django.request": {"level": "ERROR"},
            # A request for a host this site does not serve is a scanner's, answered 400 and counted
            # in the access line; a traceback at ERROR for each would bury real errors.
            "django.security.DisallowedHost": {"level": "CRITICAL"},
        },
    }
