"""API authentication: Bearer JWT (HS256, RS256, ES256) whose domain claim confines a caller to one tenant
(another tenant's recordings are 404, not 403), HTTP Basic for the SBC on the device API, 401 for a
missing, forged or expired token, public health and OpenAPI (metrics want an admin: test_tenant_scope)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import threading
import json
import subprocess
import time
from pathlib import Path

from sipp_call import SippCall

SECRET = "an-hs256-secret-of-32-bytes-or-more!"
DOMAIN = "srs.example.com"     # the Request-URI host of the test calls


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(claims: dict, secret: str = SECRET) -> str:
    signing = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    return signing + "." + b64(hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest())


def claims(domain: str | None = DOMAIN, ttl: int = 300, **extra) -> dict:
    out = {"sub": "app", "exp": int(time.time()) + ttl, **extra}
    if domain is not None:
        out["domain"] = domain
    return out


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def openssl_signed(alg: str, key: Path, claims_: dict) -> str:
    """RS256 / ES256 token signed by the openssl CLI (ES256: DER signature turned into raw r||s)."""
    signing = b64(json.dumps({"alg": alg}).encode()) + "." + b64(json.dumps(claims_).encode())
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key)], input=signing.encode(),
                         capture_output=True, check=True).stdout
    if alg == "ES256":
        assert der[0] == 0x30
        pos = 2
        parts = []
        for _ in range(2):
            assert der[pos] == 0x02
            length = der[pos + 1]
            parts.append(der[pos + 2:pos + 2 + length].lstrip(b"\0").rjust(32, b"\0"))
            pos += 2 + length
        der = parts[0] + parts[1]
    return signing + "." + b64(der)


AUTH_CONFIG = f'[media]\ncapture = "socket"\n[api]\nauth = "jwt"\njwtSecret = "{SECRET}"\nbasicUsers = {{ sbc = "sbc-password" }}\n'


def subscribe(daemon, headers: dict) -> list[str]:
    """Lines of the live event stream, read by a background thread."""
    lines: list[str] = []
    connection = http.client.HTTPConnection("127.0.0.1", daemon.api_port, timeout=60)
    connection.request("GET", "/api/v1/events", headers=headers)
    response = connection.getresponse()
    assert response.status == 200, response.status

    def read() -> None:
        try:
            while line := response.fp.readline():
                lines.append(line.decode().rstrip("\n"))
        except OSError:
            return

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_tokens_tenants_and_basic(daemon_factory, tmp_path):
    daemon = daemon_factory(AUTH_CONFIG)
    mine, other, admin = bearer(hs256(claims())), bearer(hs256(claims("other.example"))), bearer(hs256(claims(None, admin=True)))
    # The live stream shows a tenant only its own events.
    assert daemon.api_request("GET", "/api/v1/events").status == 401
    mine_stream, other_stream = subscribe(daemon, mine), subscribe(daemon, other)
    call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(500, 0, 0)).start()
    call.wait(timeout=30)

    def get(path, headers=None):
        return daemon.api_request("GET", path, headers=headers)

    # Health and the API description are public; the box-wide metrics want an admin token.
    for path in ("/healthz", "/openapi.json"):
        assert get(path).status == 200, path
    assert get("/metrics").status == 401 and get("/metrics", admin).status == 200
    # Missing, forged, expired and not-yet-valid tokens: 401 with a reason and a challenge.
    for headers, reason in ((None, "authentication required"), (bearer(hs256(claims(), "x" * 40)), "signature"),
                            (bearer(hs256(claims(ttl=-120))), "expired"), (bearer(hs256(claims(nbf=int(time.time()) + 600))), ""),
                            (bearer(hs256(claims(None))), "domain"), ({"Authorization": "Bearer not.a.token"}, ""),
                            (bearer(b64(b'{"alg":"none"}') + "." + b64(json.dumps(claims()).encode()) + "."), "")):
        r = get("/api/v1/recordings", headers)
        assert r.status == 401, (headers, r.status, r.body)
        assert reason in r.json()["error"] and "WWW-Authenticate" in r.headers, r.body
    # A token of the call's tenant sees it; another tenant's token does not, not even by id (404).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        recs = get("/api/v1/recordings", mine).json()["recordings"]
        if recs and recs[0]["state"] in ("ready", "failed"):
            break
        time.sleep(0.2)
    [rec] = recs
    rec_id = rec["recordingId"]
    deadline = time.monotonic() + 10
    # The event and its alarm are two writes on the stream: wait for both.
    while time.monotonic() < deadline and not (any("RECORDINGFAILED" in line for line in mine_stream)
                                               and any('"recordingFailed"' in line for line in mine_stream)):
        time.sleep(0.1)
    seen = [json.loads(x[6:]) for x in mine_stream if x.startswith("data: ")]
    assert [e["event"] for e in seen if "type" not in e] == ["RECORDINGSTARTED", "RECORDINGFAILED"], seen
    assert [e["type"] for e in seen if "type" in e] == ["recordingFailed"], seen        # the tenant's own alarm
    assert not [x for x in other_stream if x.startswith("data: ")], other_stream
    assert get(f"/api/v1/recordings/{rec_id}", mine).status == 200
    assert get(f"/api/v1/recordings/{rec_id}", admin).status == 200
    assert get("/api/v1/recordings", other).json()["recordings"] == []
    for path in (f"/api/v1/recordings/{rec_id}", f"/api/v1/recordings/{rec_id}/audio?format=wav"):
        r = get(path, other)
        assert r.status == 404 and rec_id in r.json()["error"], (path, r.status, r.body)
    assert daemon.api_post(f"/api/v1/recordings/{rec_id}/stop", headers=other).status == 404
    assert daemon.api_post(f"/{DOMAIN}/stoprecording", {"method": "STOPRECORDING", "recordingId": rec_id, "replyId": "v1.x"},
                           headers=other).status == 404
    # Basic works on the device API (as SBCs send it), not on the rest under auth = "jwt".
    sbc = {"Authorization": "Basic " + base64.b64encode(b"sbc:sbc-password").decode()}
    wrong = {"Authorization": "Basic " + base64.b64encode(b"sbc:guess").decode()}
    start = daemon.api_post("/api/v1/sip/sipRecording", {"command": "stop", "callKey": "nothing"}, headers=sbc)
    assert start.status == 404, start.body                     # authenticated; no such call
    assert daemon.api_post("/api/v1/sip/sipRecording", {"command": "stop", "callKey": "k"}, headers=wrong).status == 401
    assert daemon.api_post("/api/v1/sip/sipRecording", {"command": "stop", "callKey": "k"}).status == 401
    assert get("/api/v1/recordings", sbc).status == 401


def test_rs256_and_es256_tokens_from_a_public_key(daemon_factory, tmp_path):
    for alg, genkey in (("RS256", ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
                        ("ES256", ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])):
        key, pub = tmp_path / f"{alg}.key", tmp_path / f"{alg}.pub"
        subprocess.run(genkey + ["-out", str(key)], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True, capture_output=True)
        daemon = daemon_factory(f'[api]\nauth = "jwt"\njwtPublicKeyFile = "{pub}"\n')
        good = openssl_signed(alg, key, claims())
        r = daemon.api_request("GET", "/api/v1/recordings", headers=bearer(good))
        assert r.status == 200, (alg, r.body)
        # An HS256 token "signed" with the public key text must not pass (algorithm confusion).
        forged = hs256(claims(), pub.read_text())
        r = daemon.api_request("GET", "/api/v1/recordings", headers=bearer(forged))
        assert r.status == 401, (alg, r.body)
        tampered = good.rsplit(".", 2)
        tampered[1] = b64(json.dumps(claims("other.example")).encode())
        assert daemon.api_request("GET", "/api/v1/recordings", headers=bearer(".".join(tampered))).status == 401
        daemon.stop()
