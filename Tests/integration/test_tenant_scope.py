"""Tenant-scoped reads: a token for one SIP domain sees only that domain's calls, recordings and problems
in every read it can reach (status and its last errors, health, recordings, events); box-wide figures
(counts of every tenant's calls, capture drops, refused sources, /metrics) are for admin tokens and the
local operator. An admin, and the control socket, may ask on behalf of one tenant (`?domain=`,
`siprecd status --domain`) and then see exactly what that tenant sees."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from conftest import SIPRECD_BIN
from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, sdp
from test_auth import bearer, claims, hs256, subscribe
from waiting import wait_for

SECRET = "an-hs256-secret-of-32-bytes-or-more!"
A, B = "a.example", "b.example"
OFFER = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))


def refused_invite(daemon, domain: str) -> str:
    """An INVITE offering only a codec siprecd cannot record: refused, and logged as a warning with its Call-ID."""
    dialog = Dialog(daemon.sip_port, domain=domain)
    reply = dialog.request("INVITE", sdp((40000, "3", "sendonly")), "application/sdp", expect=None)
    assert reply.startswith("SIP/2.0 4"), reply
    dialog.send_raw(dialog.build("ACK"))
    return dialog.call_id



def test_a_tenant_token_reads_only_its_own_tenant(daemon_factory, clips):
    short = Path(tempfile.mkdtemp(prefix="sd-", dir="/tmp"))   # Unix socket paths are limited to 107 bytes
    sock = short / "control.sock"
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[api]\nauth = "jwt"\njwtSecret = "{SECRET}"\n'
                            f'controlSocket = "{sock}"\n')
    token_a, token_b = bearer(hs256(claims(A), SECRET)), bearer(hs256(claims(B), SECRET))
    admin = bearer(hs256(claims(None, admin=True), SECRET))
    stream_a, stream_b = subscribe(daemon, token_a), subscribe(daemon, token_b)

    def get(path: str, headers: dict | None = None):
        return daemon.api_request("GET", path, headers=headers)

    # Tenant B: a live call whose stream carries a payload type it did not negotiate (a warning naming its
    # recording id), and a refused INVITE (a warning naming its Call-ID). Tenant A: one refused INVITE.
    dialog_b = Dialog(daemon.sip_port, domain=B)
    _, (port1, port2) = dialog_b.start(OFFER)
    streams = [RtpStream(clips["caller"], port1, 150, payload_types={20: 96}), RtpStream(clips["callee"], port2, 150)]
    sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
    sender.start()
    rec_b = wait_for(lambda: next((r for r in get("/api/v1/recordings", admin).json()["recordings"]
                                   if r["sipRecCallId"] == dialog_b.call_id), None), "B's recording")
    refused_b, refused_a = refused_invite(daemon, B), refused_invite(daemon, A)
    full = wait_for(lambda: (doc := get("/api/v1/status", admin).json())
                    and any(rec_b["recordingId"] in json.dumps(e) for e in doc["lastErrors"])
                    and any(refused_a in json.dumps(e) for e in doc["lastErrors"]) and doc, "the warnings")
    secrets_of_b = [dialog_b.call_id, refused_b, rec_b["recordingId"]]

    # The admin sees the whole box: B's call counted, both tenants' problems, drops and refused sources.
    assert full["activeRecordings"] == 1 and full["sessions"] == 1 and "drops" in full and "sipRefusedSources" in full, full
    assert all(s in json.dumps(full) for s in secrets_of_b), full

    # Tenant A: none of B's Call-IDs or recording ids, B's call not in its counts, no box-wide figures.
    seen_a = get("/api/v1/status", token_a)
    assert seen_a.status == 200, seen_a.body
    doc_a = seen_a.json()
    text_a = json.dumps(doc_a)
    assert not [s for s in secrets_of_b if s in text_a], f"tenant A sees tenant B's identifiers: {doc_a}"
    assert doc_a["domain"] == A and doc_a["activeRecordings"] == 0 and doc_a["sessions"] == 0, doc_a
    for box_wide in ("drops", "sipRefusedSources", "rtpPackets", "sipDialogs", "capture"):
        assert box_wide not in doc_a, (box_wide, doc_a)
    assert [e["fields"]["call_id"] for e in doc_a["lastErrors"]] == [refused_a], doc_a["lastErrors"]
    assert all("source" not in e["fields"] for e in doc_a["lastErrors"]), "the SRC's address shown to a tenant"
    # Tenant B sees its own call and problems.
    doc_b = get("/api/v1/status", token_b).json()
    assert doc_b["activeRecordings"] == 1 and all(s in json.dumps(doc_b) for s in secrets_of_b), doc_b
    assert refused_a not in json.dumps(doc_b), doc_b

    # A tenant token cannot ask for another tenant; an admin can ask on a tenant's behalf and sees what it sees.
    other = get(f"/api/v1/status?domain={B}", token_a)
    assert other.status == 403 and A in other.json()["error"] and B in other.json()["error"], other.body
    assert get(f"/api/v1/recordings?domain={B}", token_a).status == 403
    assert get(f"/api/v1/status?domain={A.upper()}", token_a).status == 200          # its own, any case
    on_behalf = get(f"/api/v1/status?domain={A}", admin).json()
    assert [e["fields"]["call_id"] for e in on_behalf["lastErrors"]] == [refused_a] and on_behalf["activeRecordings"] == 0, on_behalf
    assert get(f"/api/v1/recordings?domain={A}", admin).json()["recordings"] == []
    assert [r["recordingId"] for r in get(f"/api/v1/recordings?domain={B}", admin).json()["recordings"]] == [rec_b["recordingId"]]

    # Health: without credentials only whether the box is up; a tenant sees its own counts.
    assert get("/healthz").json() == {"status": "ok"}
    health_a = get("/healthz", token_a).json()
    assert health_a["activeRecordings"] == 0 and "sipDialogs" not in health_a, health_a
    assert get("/healthz", admin).json()["activeRecordings"] == 1
    # A health check with a stale or forged token is answered as one without credentials, never with more;
    # naming a tenant with it is refused.
    assert get("/healthz", bearer(hs256(claims(A), "x" * 40))).json() == {"status": "ok"}
    assert get(f"/healthz?domain={A}", bearer(hs256(claims(A), "x" * 40))).status == 401
    # /metrics is box-wide: admin only (a tenant 403, no credentials 401), never narrowed to a tenant.
    assert get("/metrics").status == 401
    refused = get("/metrics", token_a)
    assert refused.status == 403 and "admin" in refused.json()["error"], refused.body
    assert get("/metrics", admin).status == 200 and b"siprecd_sessions 1" in get("/metrics", admin).body
    assert get(f"/metrics?domain={A}", admin).status == 400
    # The live stream: nothing of B's reached A's subscriber.
    assert not [line for line in stream_a if any(s in line for s in secrets_of_b)], stream_a

    # A tenant's own failed command: its alarm (whose body names no domain) reaches that tenant's stream and
    # status, and no other tenant's.
    forged = daemon.api_post(f"/{A}/stoprecording", {"method": "STOPRECORDING", "recordingId": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
                                                     "replyId": "v1.forged"}, headers=token_a)
    assert forged.status == 400, forged.body
    wait_for(lambda: any('"stopRecordingError"' in line for line in stream_a), "tenant A's stopRecordingError on its stream")
    assert not any("stopRecordingError" in line for line in stream_b), stream_b
    assert "alarm stopRecordingError" in [e["message"] for e in get("/api/v1/status", token_a).json()["lastErrors"]]
    assert "alarm stopRecordingError" not in [e["message"] for e in get("/api/v1/status", token_b).json()["lastErrors"]]

    # The control socket (the local operator): the whole box, or one tenant with --domain.
    config = daemon.workdir / "siprecd.toml"
    env = {**os.environ, "SIPRECD_CONFIG": str(config)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SIPRECD_BIN), *args], capture_output=True, text=True, timeout=30, env=env)

    box = cli("status", "--json")
    assert box.returncode == 0 and all(s in box.stdout for s in secrets_of_b), box.stdout + box.stderr
    tenant = cli("status", "--json", "--domain", A)
    assert tenant.returncode == 0, tenant.stderr
    assert not [s for s in secrets_of_b if s in tenant.stdout] and refused_a in tenant.stdout, tenant.stdout
    assert json.loads(tenant.stdout)["counters"] == {}, "box-wide counters shown for one tenant"
    text = cli("status", "--domain", A)
    assert f"tenant:            {A}" in text.stdout and "active recordings: 0" in text.stdout, text.stdout
    calls_a, calls_all = cli("calls", "--domain", A), cli("calls")
    assert "(no calls being recorded)" in calls_a.stdout and dialog_b.call_id not in calls_a.stdout, calls_a.stdout
    assert rec_b["recordingId"] in calls_all.stdout, calls_all.stdout
    listed = cli("recordings", "--domain", A)
    assert listed.returncode == 0 and rec_b["recordingId"] not in listed.stdout, listed.stdout
    bad = cli("status", "--domain", "a b")
    assert bad.returncode != 0 and "--domain" in bad.stderr, bad.stderr

    dialog_b.request("BYE")
    sender.join(30)


def test_public_metrics_opens_metrics_only(daemon_factory):
    """`[api] publicMetrics = true`: a Prometheus without a token reads /metrics; nothing else opens."""
    daemon = daemon_factory(f'[api]\nauth = "jwt"\njwtSecret = "{SECRET}"\npublicMetrics = true\n')
    assert daemon.api_request("GET", "/metrics").status == 200
    assert daemon.api_request("GET", "/metrics", headers=bearer(hs256(claims(A), SECRET))).status == 200
    assert daemon.api_request("GET", "/api/v1/status").status == 401
    assert daemon.api_request("GET", "/healthz").json() == {"status": "ok"}
