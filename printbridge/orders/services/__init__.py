"""The only writers of orders, connections and ignore rules. Each call is one transaction with its audit events."""

from printbridge.orders.services.approval import approve_orders, release_due_orders
from printbridge.orders.services.cancellation import Cancellation, cancel_from_store
from printbridge.orders.services.importing import ImportResult, Outcome, import_order
from printbridge.orders.services.reevaluation import (
    Change,
    ChangeKind,
    apply_connection,
    apply_ignore_rule,
    preview,
)
from printbridge.orders.services.resolution import ConnectTarget, connect_item, ignore_item
from printbridge.orders.services.routing_changes import (
    VariantRef,
    create_connection,
    disconnect,
    ensure_ignore_rule,
    revoke_ignore_rule,
)

__all__ = [
    "Cancellation",
    "Change",
    "ChangeKind",
    "ConnectTarget",
    "ImportResult",
    "Outcome",
    "VariantRef",
    "apply_connection",
    "apply_ignore_rule",
    "approve_orders",
    "cancel_from_store",
    "connect_item",
    "create_connection",
    "disconnect",
    "ensure_ignore_rule",
    "ignore_item",
    "import_order",
    "preview",
    "release_due_orders",
    "revoke_ignore_rule",
]
