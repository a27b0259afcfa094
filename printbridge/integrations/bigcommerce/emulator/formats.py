"""Wire formats shared by the emulator's endpoints: money, dates, error bodies."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from decimal import Decimal

MONEY_PLACES = Decimal("0.0001")
STATUS_CODES_URL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def money(value: Decimal | int | str) -> str:
    """v2 money: a string with four decimals, e.g. "54.0000"."""
    return str(Decimal(value).quantize(MONEY_PLACES))


def number(value: Decimal | int | str) -> float:
    """v3 money and v2 consignment costs: a JSON number."""
    return float(Decimal(value))


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def rfc2822(moment: datetime) -> str:
    """v2 dates: RFC 2822 in UTC, e.g. "Tue, 05 Mar 2019 21:40:11 +0000"."""
    return email.utils.format_datetime(moment.astimezone(UTC))


def iso8601(moment: datetime) -> str:
    """v3 dates: ISO 8601 with offset, e.g. "2018-08-15T14:48:46+00:00"."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_rfc2822(value: str) -> datetime:
    return email.utils.parsedate_to_datetime(value)


def parse_filter_date(value: str) -> datetime | None:
    """A v2 date filter in RFC 2822 or ISO 8601; None when malformed (BigCommerce then ignores the filter)."""
    value = value.strip()
    for parse in (_parse_rfc2822_strict, datetime.fromisoformat):
        try:
            moment = parse(value)
        except (TypeError, ValueError, IndexError):
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _parse_rfc2822_strict(value: str) -> datetime:
    moment = email.utils.parsedate_to_datetime(value)
    if moment is None:  # pragma: no cover - Python < 3.10 returned None
        raise ValueError(value)
    return moment


def v2_error(status: int, message: str) -> list[dict]:
    """The v2 error body: a list of {status, message}."""
    return [{"status": status, "message": message}]


def v3_error(status: int, title: str, errors: dict | None = None) -> dict:
    """The v3 (and gateway) error body: {status, title, type, errors}."""
    return {"status": status, "title": title, "type": STATUS_CODES_URL, "errors": errors or {}}
