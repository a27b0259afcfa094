"""The REST API, `/api/v1/` (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from printbridge.api import bigcommerce, intake, orders, providers, publishing, routing, stores, webhooks_out
from printbridge.api.auth import user_auth
from printbridge.api.catalog import catalog_router, designs_router
from printbridge.api.catalog_connect import router as catalog_connect_router
from printbridge.orders.errors import InvalidInput, ServiceError

api = NinjaAPI(
    title="Printbridge API",
    version="1.0.0",
    urls_namespace="api-v1",
    auth=user_auth,
    description=(
        "Import store orders, resolve Not connected items (Connect / Ignore), manage ignore rules and connections, "
        "and read the audit trail. Authenticate scripts with `Authorization: Bearer pbt_…` (a personal token); "
        "the web app's session also works (unsafe methods need the CSRF token). A custom store posts orders "
        "with its own `X-Store-Key: pbs_…`."
    ),
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError):
    body = {"detail": exc.message, **exc.details}
    if isinstance(exc, InvalidInput):
        body["errors"] = [{"field": exc.details.get("field"), "message": exc.message}]
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())[1:] if p != "payload") or None,
            "message": e.get("msg"),
        }
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Invalid input; nothing was changed", "errors": errors}, status=422
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    if exc.status_code == 400:  # the body is not JSON: invalid input like any other, answered as documented
        errors = [{"field": None, "message": "The request body is not valid JSON"}]
        body = {"detail": "Invalid input; nothing was changed", "errors": errors}
        return api.create_response(request, body, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": "Authentication required"}, status=401)


api.add_router("/stores", stores.router, tags=["stores"])
api.add_router("/stores", intake.router, tags=["custom-store intake"])
api.add_router("/stores", bigcommerce.router, tags=["BigCommerce"])
api.add_router("/stores", webhooks_out.router, tags=["outbound webhooks"])
api.add_router("/orders", orders.router, tags=["orders"])
api.add_router("/providers", providers.router, tags=["fulfilment providers"])
api.add_router("/", routing.router, tags=["connections and ignore rules"])
api.add_router("/", publishing.router, tags=["publishing, drift and suggestions"])
api.add_router("/catalog", catalog_router, tags=["catalog"])
api.add_router("/designs", designs_router, tags=["designs"])
api.add_router("/", catalog_connect_router, tags=["create a product from the catalog"])
