"""Outbound webhooks to custom stores: Standard Webhooks signing, URL rules, the HTTP sender, the payload."""
