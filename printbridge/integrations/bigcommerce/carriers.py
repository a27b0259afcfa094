"""BigCommerce `tracking_carrier` slugs (tracking_carrier_values.csv, from the official docs repository)."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

CSV = Path(__file__).with_name("tracking_carrier_values.csv")


@cache
def slugs() -> frozenset[str]:
    with CSV.open(encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        return frozenset(row[1].strip() for row in rows if len(row) > 1 and row[1].strip())


def carrier_slug(*names: str) -> str:
    """The slug for a provider's shipment method ("dhl_express_domestic_br", "UPS Ground"), or "" when none
    fits — then the shipment carries a tracking_link instead."""
    for name in names:
        words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
        for size in range(len(words), 0, -1):
            for joiner in ("-", ""):
                candidate = joiner.join(words[:size])
                if candidate in slugs():
                    return candidate
    return ""
