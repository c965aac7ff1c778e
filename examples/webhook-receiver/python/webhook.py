"""Verifies Guildmint's webhooks (Standard Webhooks) with Python's standard library alone (3.10+)."""

import base64
import hashlib
import hmac
import json
import time

TOLERANCE_SECONDS = 5 * 60  # refuse deliveries signed more than five minutes away from now


class WebhookVerificationError(Exception):
    """Not a genuine, fresh delivery: answer 401."""


def verify(secret: str, raw_body: bytes, headers: dict[str, str]) -> dict:
    """The event of a delivery whose signature and timestamp check out; WebhookVerificationError otherwise.

    `secret` is the endpoint's `whsec_...`, `raw_body` the request's bytes exactly as received (before any
    parsing), `headers` its headers (names in any case).
    """
    headers = {name.lower(): value for name, value in headers.items()}
    try:
        msg_id = headers["webhook-id"]
        timestamp = int(headers["webhook-timestamp"])
        signatures = headers["webhook-signature"].split()
    except (KeyError, ValueError) as error:
        raise WebhookVerificationError("missing or malformed webhook headers") from error
    if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
        raise WebhookVerificationError("timestamp too old or too new")  # stale, or an old one replayed
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    # One `v1,<base64>` per secret, space-separated (two during a rotation): one match is enough.
    for candidate in signatures:
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return json.loads(raw_body)
    raise WebhookVerificationError("no matching signature")  # forged, tampered, or another secret


seen: set[str] = set()  # ids already handled: keep them in your database in production


def handle(secret: str, raw_body: bytes, headers: dict[str, str]) -> tuple[int, dict | None]:
    """The status to answer, and the event when it is new. Deliveries are at least once: each
    `webhook-id` is handled once (a second delivery of it is answered 204 and handled no more)."""
    try:
        event = verify(secret, raw_body, headers)
    except WebhookVerificationError:
        return 401, None
    msg_id = {name.lower(): value for name, value in headers.items()}["webhook-id"]
    if msg_id in seen:
        return 204, None
    seen.add(msg_id)
    return 204, event  # do the work (amounts are strings: int(event["data"]["amount"])); answer within 15 s
