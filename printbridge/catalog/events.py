"""Audit event types of the catalog and designs, written with printbridge.orders.events.record (account-wide:
store=None). They are also among OrderEvent.Type's choices."""

CATALOG_REFRESH_REQUESTED = "catalog_refresh_requested"
CATALOG_REFRESHED = "catalog_refreshed"
CATALOG_REFRESH_FAILED = "catalog_refresh_failed"
DESIGN_UPLOADED = "design_uploaded"
DESIGN_IMPORT_REQUESTED = "design_import_requested"
DESIGN_IMPORTED = "design_imported"
DESIGN_IMPORT_FAILED = "design_import_failed"
