"""Rows 12–14 of the bad-input table: the strict checks of signed_payload_jwt, through /bigcommerce/load."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client

from printbridge.integrations.bigcommerce.app_auth import (
    InvalidSignedPayload,
    LoadClaims,
    verify_signed_payload,
)
from printbridge.stores.models import BigCommerceConnection, Membership
from tests.bigcommerce_app.conftest import CLIENT_ID, CLIENT_SECRET, DROP, OWNER_ID, claims, install, signed

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict, body: dict, hmac_key: bytes | None) -> str:
    """A JWT built without PyJWT, so it can be as wrong as an attacker makes it."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
    signature = (
        b"" if hmac_key is None else hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    )
    return f"{signing_input}.{b64(signature)}"


def load(token: str, client: Client | None = None, parameter: str = "signed_payload_jwt"):
    return (client or Client()).get("/bigcommerce/load", {parameter: token})


def assert_refused(response, client: Client | None = None) -> None:
    assert response.status_code == 401
    assert response.content == b"Unauthorized\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert Membership.objects.count() == 1  # only the owner made by install(); nobody added
    assert get_user_model().objects.count() == 1


def assert_entered(response) -> None:
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.fixture(autouse=True)
def _store(db):
    return install("abc123")


# Row 12: alg:none, HS256 with the wrong key, RS/HS confusion


def test_alg_none_is_refused():
    token = hand_made({"alg": "none", "typ": "JWT"}, claims(), None)
    assert token.endswith(".")
    assert_refused(load(token))


def test_alg_none_with_pyjwt_encoding_is_refused():
    assert_refused(load(jwt.encode(claims(), None, algorithm="none")))


def test_hs512_with_the_right_secret_is_refused():
    assert_refused(load(signed(algorithm="HS512")))


def test_hs256_with_the_wrong_secret_is_refused():
    assert_refused(load(signed(key="another-apps-secret-" + "x" * 48)))


def test_rs256_token_is_refused():
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(load(jwt.encode(claims(), private_key, algorithm="RS256")))


def test_rs_hs_confusion_with_the_public_key_as_hmac_secret_is_refused():
    public_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert_refused(load(hand_made({"alg": "HS256", "typ": "JWT"}, claims(), public_pem)))


def test_hand_made_hs256_with_the_right_secret_is_accepted():
    """The control for the hand-made tokens above: the same construction with the app secret passes."""
    assert_entered(load(hand_made({"alg": "HS256", "typ": "JWT"}, claims(), CLIENT_SECRET.encode())))


def test_tampered_payload_is_refused():
    header, _, signature = signed().split(".")
    forged = b64(json.dumps(claims(store_hash="abc123", user_id=7, email="mallory@evil.example")).encode())
    assert_refused(load(f"{header}.{forged}.{signature}"))


def test_an_empty_configured_secret_refuses_even_a_token_signed_with_an_empty_key(settings):
    settings.BIGCOMMERCE_CLIENT_SECRET = ""
    assert_refused(load(hand_made({"alg": "HS256", "typ": "JWT"}, claims(), b"")))


# Row 13: exp in the past, nbf beyond the leeway, another app's aud, iss != bc


def test_expired_token_is_refused():
    now = int(time.time())
    assert_refused(load(signed(exp=now - 11, nbf=now - 86411, iat=now - 86411)))


def test_token_expired_within_the_leeway_is_accepted():
    now = int(time.time())
    assert_entered(load(signed(exp=now - 5, nbf=now - 86405, iat=now - 86405)))


def test_nbf_11_seconds_ahead_is_refused():
    assert_refused(load(signed(nbf=int(time.time()) + 11)))


def test_nbf_9_seconds_ahead_is_accepted():
    assert_entered(load(signed(nbf=int(time.time()) + 9)))


def test_iat_beyond_the_leeway_is_refused():
    assert_refused(load(signed(iat=int(time.time()) + 11)))


def test_another_apps_audience_is_refused():
    assert_refused(load(signed(aud="another-app-client-id")))


def test_audience_list_containing_ours_is_refused():
    assert_refused(load(signed(aud=[CLIENT_ID, "another-app-client-id"])))


def test_issuer_other_than_bc_is_refused():
    assert_refused(load(signed(iss="xx")))


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat", "aud", "iss", "sub", "jti"])
def test_token_missing_a_required_claim_is_refused(claim):
    assert_refused(load(signed(**{claim: DROP})))


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
def test_time_claim_given_as_a_string_is_refused(claim):
    assert_refused(load(signed(**{claim: str(int(time.time()))})))


def test_token_without_a_user_is_refused():
    assert_refused(load(signed(user=DROP)))


def test_legacy_signed_payload_is_refused():
    body = b64(json.dumps(claims()).encode())
    digest = hmac.new(CLIENT_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    legacy = f"{body}.{b64(digest.encode())}"
    assert_refused(load(legacy, parameter="signed_payload"))
    assert_refused(load(legacy))


def test_replayed_token_is_refused():
    token = signed()
    assert_entered(load(token))
    response = load(token)
    assert response.status_code == 401
    assert response.content == b"Unauthorized\n"


def test_refusal_is_logged_without_the_token(caplog):
    token = signed(iss="xx")
    with caplog.at_level(logging.WARNING, logger="printbridge.bigcommerce_app"):
        assert_refused(load(token))
    ours = [r.getMessage() for r in caplog.records if r.name == "printbridge.bigcommerce_app"]
    assert ours == ["bigcommerce load refused: InvalidIssuerError: Invalid issuer"]
    assert token not in caplog.text


# Row 14: sub of a store never installed; of an uninstalled store; of a store not installed through the app


def test_sub_of_a_store_never_installed_is_refused():
    assert_refused(load(signed(store_hash="nev3r1")))


def test_sub_of_an_uninstalled_store_is_refused(_store):
    BigCommerceConnection.objects.filter(pk=_store.pk).update(uninstalled_at="2026-11-30T12:00:00Z")
    assert_refused(load(signed()))


def test_sub_of_a_disabled_store_is_refused(_store):
    _store.store.is_active = False
    _store.store.save()
    assert_refused(load(signed()))


def test_sub_of_a_store_connected_with_an_api_account_is_refused():
    install("api777", via=BigCommerceConnection.InstalledVia.API_ACCOUNT)
    response = load(signed(store_hash="api777"))
    assert response.status_code == 401
    assert Membership.objects.count() == 2


@pytest.mark.parametrize("sub", ["stores/abc123/x", "abc123", "stores/", "stores/abc-123", 12345])
def test_sub_not_of_the_form_stores_hash_is_refused(sub):
    assert_refused(load(signed(sub=sub)))


# The pure function


def test_verify_returns_the_claims():
    now = int(time.time())
    token = signed(
        now=now, jti="jti-1", user_id=2002, email="Staff@abc123.example", channel_id=None, url="/x"
    )
    assert verify_signed_payload(token, CLIENT_ID, CLIENT_SECRET, now) == LoadClaims(
        store_hash="abc123",
        user_id=2002,
        user_email="Staff@abc123.example",
        owner_id=OWNER_ID,
        owner_email="owner@abc123.example",
        url="/x",
        channel_id=None,
        jti="jti-1",
        expires_at=now + 86400,
    )


def test_verify_uses_the_given_clock():
    now = int(time.time())
    token = signed(now=now)
    with pytest.raises(InvalidSignedPayload, match=r"^expired \(exp\)$"):
        verify_signed_payload(token, CLIENT_ID, CLIENT_SECRET, now + 86400 + 10)
    assert verify_signed_payload(token, CLIENT_ID, CLIENT_SECRET, now + 86400 + 9).store_hash == "abc123"


def test_verify_refuses_an_unconfigured_client_id():
    with pytest.raises(InvalidSignedPayload, match="not configured"):
        verify_signed_payload(signed(), "", CLIENT_SECRET, time.time())
