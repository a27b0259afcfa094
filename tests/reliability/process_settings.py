"""Settings of the Printbridge processes the reliability tests start: the project's own, plus the sync lease
length from the environment (production keeps the 60 s default)."""

import os

from printbridge.settings import *  # noqa: F403

PRINTBRIDGE_SYNC_LEASE_SECONDS = float(os.environ.get("PRINTBRIDGE_SYNC_LEASE_SECONDS", "60"))
