"""Facts the rules need, read in a constant number of queries."""

from collections.abc import Iterable

from printbridge.orders import rules
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store, StoreSettings


def routing_for(store: Store, items: Iterable[rules.ItemRef]) -> rules.Routing:
    """The store's active connections and ignore rules that concern these items (three queries). A connection
    that needs review (the store changed or deleted its variant) holds its variant instead of connecting it."""
    items = list(items)
    variant_ids = {i.variant_id for i in items}
    product_ids = {i.product_id for i in items}
    connections = Connection.objects.filter(
        store=store, variant_id__in=variant_ids, disconnected_at__isnull=True
    ).values_list("variant_id", "pk", "needs_review", "review_reason")
    active_rules = IgnoreRule.objects.filter(store=store, revoked_at__isnull=True)
    variant_rules = active_rules.filter(scope=IgnoreRule.Scope.VARIANT, variant_id__in=variant_ids)
    product_rules = active_rules.filter(scope=IgnoreRule.Scope.PRODUCT, product_id__in=product_ids)
    found = list(connections)
    return rules.Routing(
        connections={variant: pk for variant, pk, flagged, _ in found if not flagged},
        variant_rules=dict(variant_rules.values_list("variant_id", "pk")),
        product_rules=dict(product_rules.values_list("product_id", "pk")),
        needs_review={variant: rules.Review(pk, why) for variant, pk, flagged, why in found if flagged},
    )


def policy_for(store: Store) -> rules.StorePolicy:
    s = StoreSettings.objects.get(store_id=store.pk)  # fresh: a cached store.settings may be stale
    return rules.StorePolicy(
        import_not_connected=s.import_not_connected,
        approval_mode=rules.ApprovalMode(s.approval_mode),
        delay_hours=s.approval_delay_hours,
        partial_release=rules.PartialRelease(s.partial_release),
    )
