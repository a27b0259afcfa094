"""The catalog app's writers (and, for one import, its main read): see docs/catalog.md.

Catalog cache:  request_refresh, refresh_catalog, product_detail; search (a read, from selectors)
Designs:        upload_design, request_design_import, import_design; design_url (signed link, from signing)
"""

from printbridge.catalog.selectors import search
from printbridge.catalog.services.catalog import (
    RefreshResult,
    product_detail,
    refresh_catalog,
    request_refresh,
)
from printbridge.catalog.services.designs import import_design, request_design_import, upload_design
from printbridge.catalog.signing import design_url

__all__ = [
    "RefreshResult",
    "design_url",
    "import_design",
    "product_detail",
    "refresh_catalog",
    "request_design_import",
    "request_refresh",
    "search",
    "upload_design",
]
