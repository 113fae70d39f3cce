"""STORERECORDING into a dir bucket (references 001 and 003): the worked flow INVITE → newCall →
RECORDINGSTARTED → RTP → BYE → RECORDINGREADY → STORERECORDING with trim and beep mask → RECORDINGSTORED
→ the file in the bucket → DELETERECORDING → RECORDINGDELETED; the edits checked sample by sample in a
lossless store and by ear (FFT) in the MP3; every bad store input gives a reason."""

from __future__ import annotations

import base64
import subprocess
import time

import numpy as np

import media
from hooks import Hooks
import netutil
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 200   # 4 s each way
KEY = base64.b64encode(bytes(range(32))).decode()




def test_reference_003_flow_with_trim_and_beep_mask(daemon_factory, clips, tmp_path):
    hooks = Hooks(tmp_path, "decision_server.py")
    bucket = tmp_path / "archive"
    bucket.mkdir()
    try:
        time.sleep(0.3)
        daemon = daemon_factory(
            f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url("/app")}"\nsecret = "k"\n'
            f'[[rules]]\ntrigger = "newCall"\n[buckets.archive]\ntype = "dir"\npath = "{bucket}"\n[keys]\nk1 = "{KEY}"\n')
        call = SippCall(daemon.sip_port, "udp", tmp_path / "call", service="yes", pauses_ms=(PACKETS * 20 + 800, 0, 0)).start()
        try:
            p1, p2 = call.wait_ports()
            send_concurrently([RtpStream(clips["caller"], p1, PACKETS), RtpStream(clips["callee"], p2, PACKETS)])
            call.wait(timeout=30)
        finally:
            call.kill()
        rec = daemon.wait_for_state(call.call_id, "ready")
        rec_id = rec["recordingId"]
        names = [b.get("event") for b in hooks.bodies() if b.get("recordingId") == rec_id]
        assert names[:2] == ["RECORDINGSTARTED", "RECORDINGREADY"] or "RECORDINGSTARTED" in names, names
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec_id)
        command = {"method": "STORERECORDING", "recordingId": rec_id, "replyId": ready["replyId"], "destinationBucket": "archive"}

        def store(extra: dict, status: int = 200):
            r = daemon.api_post("/srs.example.com/storerecording", {**command, **extra})
            assert r.status == status, (extra, r.status, r.body)
            return r.json()

        # 1. Lossless: trim 0.5–3.0 s, beep on the caller 1.0–1.5 s; checked sample by sample against the master.
        assert store({"fileName": "call.wav", "modificationParams": {"trim": {"from": 0.5, "to": 3.0},
                                                                     "mask": {"caller": [{"from": 1.0, "to": 1.5}]}}}) == {"success": True}
        stored = hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["fileName"] == "call.wav")
        assert stored["destinationBucket"] == "archive" and stored["recordingId"] == rec_id, stored
        master = media.parse_wav(daemon.download(rec_id, "wav", tmp_path / "master.wav").read_bytes()).samples
        out = media.parse_wav((bucket / "call.wav").read_bytes()).samples
        assert out.shape == (20_000, 2), out.shape                       # exactly the trim span
        caller = [p["channel"] for p in rec["meta"]["recordingsPartsInfo"] if p["role"] == "caller"][0]
        callee = 1 - caller
        assert np.array_equal(out[:, callee], master[4000:24000, callee]), "the unmasked channel changed"
        expected = master[4000:24000, caller].copy()
        beep = np.array([round(8192 * np.sin(2 * np.pi * n / 8)) for n in range(8)], dtype=np.int16)
        expected[4000:8000] = np.tile(beep, 500)                         # 1.0–1.5 s of the recording
        assert np.array_equal(out[:, caller], expected), "the masked channel is not the master with the beep in the span"
        assert daemon.api_json(f"/api/v1/recordings/{rec_id}")["state"] == "stored"

        # 2. The default MP3 with a beep over both channels: length = trim span, the beep heard in the span.
        store({"modificationParams": {"trim": {"from": 1.0, "to": 3.5}, "mask": {"from": 2.0, "to": 2.5, "type": "beep"}}})
        mp3 = hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["fileName"].endswith(f"-{rec_id}.mp3"))
        decoded = media.decode_mp3(bucket / mp3["fileName"], tmp_path / "decoded.wav").samples
        assert abs(len(decoded) - 20_000) <= 1152, len(decoded)
        for ch in (0, 1):
            span = decoded[8000 + 400:12_000 - 400, ch].astype(float)     # 2.05–2.45 s of the recording
            spectrum = np.abs(np.fft.rfft(span))
            peak = np.argmax(spectrum) * 8000 / len(span)
            assert abs(peak - 1000) < 20, f"channel {ch}: the masked span peaks at {peak:.0f} Hz, not the 1 kHz beep"

        # 3. Every bad input fails with a reason (event + alarm), or 400 naming the field.
        failures = [
            ({"destinationBucket": "nowhere"}, "unknown destinationBucket"),
            ({"fileName": "../escape.mp3"}, "path separator"),
            ({"fileName": "call.ogg"}, ".mp3 or .wav"),
            ({"fileName": "call.wav"}, "already exists"),
            ({"fileName": "late.wav", "modificationParams": {"trim": {"from": 1, "to": 99}}}, "outside the recording"),
            ({"fileName": "key.wav", "encryptionKey": "k9"}, "is not a key of [keys]"),
            ({"fileName": "key.wav", "encryptionKey": base64.b64encode(bytes(32)).decode()}, "inline keys are not allowed"),
        ]
        for extra, reason in failures:
            store(extra)
            failed = hooks.wait(lambda b: b.get("event") == "STORERECORDINGFAILED" and reason in b.get("reason", ""))
            assert failed["recordingId"] == rec_id
        alarms = [b for b in hooks.bodies() if b.get("type") == "storeRecordingError"]
        assert len(alarms) >= len(failures), alarms
        for extra, field in (({"modificationParams": {"trim": {"from": 3, "to": 1}}}, "modificationParams"),
                             ({"modificationParams": {"mask": {"caller": "x"}}}, "modificationParams"),
                             ({"destinationBucket": None}, "destinationBucket")):
            body = store(extra, status=400)
            assert body["field"] == field, body
        wrong = daemon.api_post("/srs.example.com/storerecording", {**command, "replyId": "v1.forged"})
        assert wrong.status == 400 and wrong.json()["error"] == "recordingId does not match eventId"
        assert not (bucket / "late.wav").exists() and sorted(p.name for p in bucket.iterdir() if p.name.startswith(".")) == []

        # 4. Encrypted: the same store sealed with [keys] k1; `siprecd decrypt` gives the WAV back byte for byte.
        store({"fileName": "sealed.wav", "encryptionKey": "k1",
               "modificationParams": {"trim": {"from": 0.5, "to": 3.0}, "mask": {"caller": [{"from": 1.0, "to": 1.5}]}}})
        hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["fileName"] == "sealed.wav")
        sealed = (bucket / "sealed.wav").read_bytes()
        assert sealed[:8] == b"SRECENC1" and b"RIFF" not in sealed[:64], sealed[:32]
        config = daemon.workdir / "siprecd.toml"
        done = subprocess.run([str(daemon.cmd[0]), "decrypt", str(bucket / "sealed.wav"), "--config", str(config),
                               "--out", str(tmp_path / "opened.wav")], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "opened.wav").read_bytes() == (bucket / "call.wav").read_bytes()
        wrong_key = subprocess.run([str(daemon.cmd[0]), "decrypt", str(bucket / "sealed.wav"), "--key",
                                    base64.b64encode(bytes(32)).decode(), "--out", str(tmp_path / "wrong.wav")],
                                   capture_output=True, text=True, timeout=30)
        assert wrong_key.returncode != 0 and "does not decrypt" in wrong_key.stderr, wrong_key.stderr
        assert not (tmp_path / "wrong.wav").exists()

        # 5. DELETERECORDING: the temporary files go, the stored ones stay.
        daemon.api_post("/srs.example.com/deleterecording", {"method": "DELETERECORDING", "recordingId": rec_id,
                                                             "replyId": ready["replyId"]})
        hooks.wait(lambda b: b.get("event") == "RECORDINGDELETED" and b["recordingId"] == rec_id)
        assert (bucket / "call.wav").exists() and (bucket / mp3["fileName"]).exists()
        assert daemon.api_json(f"/api/v1/recordings/{rec_id}")["state"] == "deleted"
    finally:
        hooks.stop()


def test_store_into_an_s3_bucket_on_a_real_s3_server(daemon_factory, clips, tmp_path):
    """moto_server (PyPI) as the S3 API: a small file by PUT, a larger one by multipart upload (the part
    size lowered on both sides so a short call needs several parts), byte-identical to the same store into
    a dir bucket; an existing key or a missing bucket fails with S3's reason."""
    import os

    import boto3

    s3_port = netutil.free_port("tcp")
    env = {**os.environ, "S3_UPLOAD_PART_MIN_SIZE": "65536", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(s3_port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hooks = Hooks(tmp_path)
    bucket = tmp_path / "archive"
    bucket.mkdir()
    try:
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", region_name="eu-north-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        deadline = time.monotonic() + 20
        while True:
            try:
                s3.create_bucket(Bucket="recordings", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        secret = tmp_path / "s3.secret"
        secret.write_text("testing\n")
        daemon = daemon_factory(
            f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n'
            f'[buckets.archive]\ntype = "dir"\npath = "{bucket}"\n'
            f'[buckets.cloud]\ntype = "s3"\nendpoint = "http://127.0.0.1:{s3_port}"\nregion = "eu-north-1"\n'
            f'bucket = "recordings"\naccessKeyId = "testing"\nsecretAccessKeyFile = "{secret}"\npartSize = "64KiB"\n'
            f'[buckets.vhost]\ntype = "s3"\nendpoint = "http://localhost:{s3_port}"\nbucket = "recordings"\npathStyle = false\n'
            f'accessKeyId = "testing"\nsecretAccessKey = "testing"\n'
            f'[buckets.gone]\ntype = "s3"\nendpoint = "http://127.0.0.1:{s3_port}"\nbucket = "missing"\n'
            f'accessKeyId = "testing"\nsecretAccessKey = "testing"\n')
        call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(100 * 20 + 600, 0, 0)).start()
        try:
            p1, p2 = call.wait_ports()
            send_concurrently([RtpStream(clips["caller"], p1, 100), RtpStream(clips["callee"], p2, 100)])
            call.wait(timeout=30)
        finally:
            call.kill()
        rec_id = daemon.wait_for_state(call.call_id, "ready")["recordingId"]
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec_id)
        command = {"method": "STORERECORDING", "recordingId": rec_id, "replyId": ready["replyId"],
                   "modificationParams": {"mask": {"callee": [{"from": 0.5, "to": 1.0}]}}}
        for destination, name in (("cloud", "call.wav"), ("archive", "call.wav"), ("cloud", "call.mp3"), ("vhost", "vhost.mp3")):
            r = daemon.api_post("/srs.example.com/storerecording", {**command, "destinationBucket": destination, "fileName": name})
            assert r.status == 200, r.body
            hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["destinationBucket"] == destination
                       and b["fileName"] == name)
        wav = s3.get_object(Bucket="recordings", Key="call.wav")["Body"].read()
        assert wav == (bucket / "call.wav").read_bytes() and len(wav) > 65536, len(wav)
        head = s3.head_object(Bucket="recordings", Key="call.wav")
        parts = (len(wav) + 65535) // 65536
        assert head["ETag"].strip('"').endswith(f"-{parts}"), head["ETag"]                   # a multipart object
        mp3 = s3.get_object(Bucket="recordings", Key="call.mp3")["Body"].read()
        assert s3.get_object(Bucket="recordings", Key="vhost.mp3")["Body"].read() == mp3   # virtual-host style
        assert mp3[:3] == b"ID3" or mp3[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xe3"), mp3[:4]
        for destination, reason in (("cloud", "already exists"), ("gone", "NoSuchBucket")):
            daemon.api_post("/srs.example.com/storerecording", {**command, "destinationBucket": destination, "fileName": "call.wav"})
            failed = hooks.wait(lambda b: b.get("event") == "STORERECORDINGFAILED" and reason in b.get("reason", ""))
            assert failed["recordingId"] == rec_id
    finally:
        hooks.stop()
        server.terminate()


def test_store_into_s3_over_verified_tls(daemon_factory, clips, tmp_path):
    """An https S3 endpoint (moto_server with a certificate from a test CA): trusted through the bucket's
    caFile, refused with the reason when the certificate is not trusted."""
    import os

    import boto3

    pki = tmp_path / "pki"
    pki.mkdir()

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=pki)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=siprecd test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (pki / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
            "-days", "2", "-extfile", "ext.cnf")
    s3_port = netutil.free_port("tcp")
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(s3_port), "-c", str(pki / "server.pem"),
                               "-k", str(pki / "server.key")], env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hooks = Hooks(tmp_path)
    try:
        s3 = boto3.client("s3", endpoint_url=f"https://127.0.0.1:{s3_port}", region_name="us-east-1", verify=str(pki / "ca.pem"),
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        deadline = time.monotonic() + 20
        while True:
            try:
                s3.create_bucket(Bucket="secure")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        common = f'type = "s3"\nendpoint = "https://127.0.0.1:{s3_port}"\nbucket = "secure"\naccessKeyId = "testing"\nsecretAccessKey = "testing"\n'
        daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n'
                                f'[buckets.tls]\n{common}caFile = "{pki / "ca.pem"}"\n[buckets.untrusted]\n{common}')
        call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(50 * 20 + 600, 0, 0)).start()
        try:
            p1, p2 = call.wait_ports()
            send_concurrently([RtpStream(clips["caller"], p1, 50), RtpStream(clips["callee"], p2, 50)])
            call.wait(timeout=30)
        finally:
            call.kill()
        rec_id = daemon.wait_for_state(call.call_id, "ready")["recordingId"]
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec_id)
        command = {"method": "STORERECORDING", "recordingId": rec_id, "replyId": ready["replyId"], "fileName": "tls.mp3"}
        daemon.api_post("/srs.example.com/storerecording", {**command, "destinationBucket": "tls"})
        hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["destinationBucket"] == "tls")
        assert len(s3.get_object(Bucket="secure", Key="tls.mp3")["Body"].read()) > 1000
        daemon.api_post("/srs.example.com/storerecording", {**command, "destinationBucket": "untrusted", "fileName": "no.mp3"})
        failed = hooks.wait(lambda b: b.get("event") == "STORERECORDINGFAILED")
        assert "certificate not trusted" in failed["reason"], failed
    finally:
        hooks.stop()
        server.terminate()
