"""Audit event types of publishing and drift, written with printbridge.orders.events.record. They are also
among OrderEvent.Type's choices."""

STORE_PRODUCT_CREATED = "store_product_created"  # the store answered with the new product's id
PRODUCT_PUBLISHED = "product_published"  # created (or adopted) in the store and every variant connected
PRODUCT_PUBLISH_FAILED = "product_publish_failed"  # the store refused it, or did not answer
CONNECTION_NEEDS_REVIEW = "connection_needs_review"  # the store deleted or changed a connected variant
CONNECTION_CONFIRMED = "connection_confirmed"  # the merchant confirmed a flagged connection is still right
