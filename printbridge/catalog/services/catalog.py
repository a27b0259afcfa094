"""The catalog cache: queue a refresh (request_refresh), run it (refresh_catalog, in refresh_catalog_task), and
a product's detail with its supported countries (product_detail, fetched on first view and when stale)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from printbridge.catalog import events as catalog_events
from printbridge.catalog import selectors
from printbridge.catalog.errors import ProviderUnavailable
from printbridge.catalog.gelato import describe, gelato_client, provider_account
from printbridge.catalog.models import GELATO, CatalogProduct, CatalogSync
from printbridge.catalog.services import catalog_store
from printbridge.integrations.errors import IntegrationError, PermanentError
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.integrations.gelato.payloads import CatalogProduct as GelatoProduct
from printbridge.orders import events
from printbridge.orders.errors import NotFound, ServiceError
from printbridge.stores.models import Account

PAGE_SIZE = 100
REFRESH_LEASE = timedelta(minutes=15)  # a queued/running refresh older than this is taken as lost


@dataclass(frozen=True)
class RefreshResult:
    catalogs: int
    products: int
    truncated: tuple[str, ...]  # catalogs that hit CATALOG_REFRESH_MAX_PRODUCTS


def request_refresh(account: Account, actor: events.Actor, catalog_uid: str = "") -> CatalogSync:
    """Queue a refresh of every catalog (or one): NoProviderKey without a Gelato key; while one is queued or
    running (within REFRESH_LEASE) it is returned as it is, and nothing more is queued."""
    provider_account(account)
    with transaction.atomic():
        sync = _locked_sync(account)
        now = timezone.now()
        busy = sync.state in (CatalogSync.State.QUEUED, CatalogSync.State.RUNNING)
        if busy and sync.requested_at > now - REFRESH_LEASE:
            return sync
        sync.state, sync.catalog_uid, sync.requested_at = CatalogSync.State.QUEUED, catalog_uid, now
        sync.requested_by, sync.started_at, sync.finished_at, sync.last_error = actor.user, None, None, ""
        sync.save()
        what = f"the {catalog_uid} catalog" if catalog_uid else "the Gelato catalog"
        events.record(
            catalog_events.CATALOG_REFRESH_REQUESTED,
            f"Refresh of {what} requested",
            actor,
            store=None,
            account_id=account.pk,
            catalog_uid=catalog_uid,
        )
        transaction.on_commit(lambda: _enqueue_refresh(account.pk, catalog_uid))
    return sync


def _enqueue_refresh(account_id: int, catalog_uid: str) -> None:
    from printbridge.jobs.tasks import refresh_catalog_task  # the task module imports this one

    refresh_catalog_task.enqueue(account_id, catalog_uid)


def _locked_sync(account: Account) -> CatalogSync:
    """The account's refresh state, locked (made on first use; a racing first request finds the other's)."""
    defaults = {"state": CatalogSync.State.NEVER, "requested_at": timezone.now()}
    CatalogSync.objects.get_or_create(account=account, provider=GELATO, defaults=defaults)
    return CatalogSync.objects.select_for_update().get(account=account, provider=GELATO)


def refresh_catalog(
    account: Account, catalog_uid: str = "", client: GelatoClient | None = None
) -> RefreshResult:
    """Fetch the catalogs (every one, or `catalog_uid`) with their attributes and all their products, page by
    page (bounded), and upsert them; products no longer listed are marked removed. The refresh state says
    running/done/failed; a failure is recorded and raised (ProviderUnavailable, NoProviderKey, NotFound)."""
    _set_state(account, CatalogSync.State.RUNNING, started_at=timezone.now())
    try:
        if client is not None:
            result = _refresh_with(account, client, catalog_uid)
        else:
            with gelato_client(account) as gelato:
                result = _refresh_with(account, gelato, catalog_uid)
    except ServiceError as exc:
        _failed(account, exc.message)
        raise
    except IntegrationError as exc:  # from a client the caller passed in
        _failed(account, describe(exc))
        raise ProviderUnavailable(describe(exc)) from exc
    except Exception as exc:  # a bug must not leave the refresh "running" until its lease runs out
        _failed(account, f"Unexpected error ({type(exc).__name__}); see the logs")
        raise
    _done(account, result)
    return result


def _refresh_with(account: Account, gelato: GelatoClient, catalog_uid: str) -> RefreshResult:
    listed = gelato.list_catalogs()
    uids = [c.uid for c in listed]
    if catalog_uid and catalog_uid not in uids:
        raise NotFound(f"Gelato has no catalog {catalog_uid!r}", field="catalog_uid")
    titles = {c.uid: c.title for c in listed}
    counts, truncated = 0, []
    for uid in [catalog_uid] if catalog_uid else uids:
        products, cut = _all_products(gelato, uid)
        catalog_store.save_catalog(account, gelato.get_catalog(uid), titles[uid], products, cut)
        counts += len(products)
        truncated += [uid] if cut else []
    if not catalog_uid:
        catalog_store.mark_catalogs_removed(account, uids)
    return RefreshResult(len(uids) if not catalog_uid else 1, counts, tuple(truncated))


def _all_products(gelato: GelatoClient, catalog_uid: str) -> tuple[list[GelatoProduct], bool]:
    """Every product of a catalog (each once), and whether CATALOG_REFRESH_MAX_PRODUCTS cut the list short."""
    bound = settings.CATALOG_REFRESH_MAX_PRODUCTS
    found: dict[str, GelatoProduct] = {}
    for page in _pages(gelato, catalog_uid, bound):
        for product in page:
            found.setdefault(product.product_uid, product)
        if len(found) >= bound:
            return list(found.values())[:bound], True
    return list(found.values()), False


def _pages(gelato: GelatoClient, catalog_uid: str, bound: int) -> Iterator[tuple[GelatoProduct, ...]]:
    offset: int | None = 0
    for _ in range(bound // PAGE_SIZE + 1):  # a provider that ignores the offset cannot loop forever
        if offset is None:
            return
        page = gelato.search_products(catalog_uid, limit=PAGE_SIZE, offset=offset)
        yield page.products
        offset = page.next_offset


def _set_state(account: Account, state: str, **fields) -> None:
    updated = CatalogSync.objects.filter(account=account, provider=GELATO).update(state=state, **fields)
    if not updated:
        CatalogSync.objects.get_or_create(
            account=account,
            provider=GELATO,
            defaults={"state": state, "requested_at": timezone.now(), **fields},
        )


@transaction.atomic
def _failed(account: Account, message: str) -> None:
    _set_state(account, CatalogSync.State.FAILED, finished_at=timezone.now(), last_error=message[:500])
    events.record(
        catalog_events.CATALOG_REFRESH_FAILED,
        f"Catalog refresh failed: {message}",
        events.Actor.system("catalog"),
        store=None,
        account_id=account.pk,
    )


@transaction.atomic
def _done(account: Account, result: RefreshResult) -> None:
    now = timezone.now()
    note = f"; stopped at the limit in {', '.join(result.truncated)}" if result.truncated else ""
    _set_state(account, CatalogSync.State.DONE, finished_at=now, refreshed_at=now, last_error=note[2:])
    events.record(
        catalog_events.CATALOG_REFRESHED,
        f"Catalog refreshed: {result.catalogs} catalogs, {result.products} products{note}",
        events.Actor.system("catalog"),
        store=None,
        account_id=account.pk,
        catalogs=result.catalogs,
        products=result.products,
    )


def product_detail(account: Account, product_uid: str, refresh: bool = False) -> CatalogProduct:
    """A cached product (NotFound when the catalog never listed it) with its supported countries: fetched from
    Gelato on first view, when older than CATALOG_STALE_AFTER_HOURS, or when `refresh` is asked."""
    product = selectors.product(account, product_uid)
    if product.details_fetched_at and not refresh and not selectors.is_stale(product.details_fetched_at):
        return product
    try:
        with gelato_client(account) as gelato:
            detail = gelato.get_product(product_uid)
    except ProviderUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, PermanentError) and cause.status == 404:
            raise NotFound(f"Gelato no longer offers {product_uid}", field="product_uid") from None
        raise
    return catalog_store.save_detail(product, detail)
