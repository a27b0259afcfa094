"""Gelato: the Order API v4 and Product API v3 client (client.py), its dataclasses (payloads.py, built by
parsing.py), status webhook parsing (webhooks.py) and the Gelato-specific error (errors.py). Kept import-free so
that importing the emulator does not import the client."""
