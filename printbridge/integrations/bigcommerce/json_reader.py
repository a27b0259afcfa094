"""Typed reads from decoded JSON. A value that breaks the expected shape raises PermanentError, naming the field."""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from printbridge.integrations.errors import PermanentError

_T = TypeVar("_T")


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class JsonReader:
    """Typed reads from one JSON object; every failure names the object and the field."""

    def __init__(self, raw: object, what: str) -> None:
        if not isinstance(raw, dict):
            raise PermanentError(None, f"{what}: expected a JSON object, got {_describe(raw)}")
        self.raw: dict[str, Any] = raw
        self.what = what

    def error(self, key: str, expected: str) -> PermanentError:
        got = _describe(self.raw.get(key)) if key in self.raw else "nothing"
        return PermanentError(None, f"{self.what}: {key!r} must be {expected}, got {got}")

    def integer(self, key: str) -> int:
        value = self.opt_integer(key)
        if value is None:
            raise self.error(key, "an integer")
        return value

    def opt_integer(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise self.error(key, "an integer")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise self.error(key, "a string")

    def required_text(self, key: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "a non-empty string")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, "a boolean")
        return value

    def money(self, key: str) -> Decimal:
        value = self.opt_money(key)
        if value is None:
            raise self.error(key, "an amount")
        return value

    def opt_money(self, key: str) -> Decimal | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, "an amount")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise self.error(key, "an amount") from None
        if not amount.is_finite():
            raise self.error(key, "a finite amount")
        return amount

    def rfc2822(self, key: str) -> datetime:
        value = self.opt_rfc2822(key)
        if value is None:
            raise self.error(key, "an RFC 2822 date")
        return value

    def opt_rfc2822(self, key: str) -> datetime | None:
        value = self.raw.get(key)
        if value is None or value == "":
            return None
        try:
            parsed = email.utils.parsedate_to_datetime(value if isinstance(value, str) else "")
        except (TypeError, ValueError, IndexError):
            raise self.error(key, "an RFC 2822 date") from None
        if parsed.tzinfo is None:  # "-0000": UTC, source zone unknown (RFC 2822 §3.3)
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)

    def opt_iso8601(self, key: str) -> datetime | None:
        value = self.raw.get(key)
        if value is None or value == "":
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.error(key, "an ISO 8601 date") from None
        if parsed.tzinfo is None:
            raise self.error(key, "an ISO 8601 date with a zone")
        return parsed.astimezone(UTC)

    def opt_unix(self, key: str) -> datetime | None:
        seconds = self.opt_integer(key)
        try:
            return None if seconds is None else datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise self.error(key, "a Unix timestamp") from None

    def child(self, key: str) -> JsonReader:
        return JsonReader(self.raw.get(key), f"{self.what}.{key}")

    def array(self, key: str) -> list[Any]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "an array")
        return value


def parse_list(raw: object, parse: Callable[[object], _T], what: str) -> list[_T]:
    if not isinstance(raw, list):
        raise PermanentError(None, f"{what}: expected a JSON array, got {_describe(raw)}")
    return [parse(item) for item in raw]
