"""A small PKI for the SIP/TLS tests, made with the `openssl` command line (EC P-256 keys, so a whole set
takes well under a second): a CA that signs the server's certificate and the SRCs' (client) certificates,
a second CA nobody trusts, and the odd ones the tests need — an expired client certificate, one with a name
outside `allowedPeerNames`, a second server certificate for the SIGHUP reload, one that expires in 10 days,
an expired server certificate and a key that matches none of them; chains through an intermediate CA; and
certificates for both TLS roles (serverAuth and clientAuth), as siprecd needs when it connects to an SRC
and an SBC has for its connections both ways.

Certificates are signed with `openssl ca` and explicit `-startdate`/`-enddate`, which OpenSSL 3.0's
`x509 -req` cannot set (it has no -not_before): an expired certificate is simply one whose validity ended
yesterday, signed by the real CA, so only its dates make it wrong."""

from __future__ import annotations

import datetime as dt
import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

CA_CONFIG = """\
[ ca ]
default_ca = testca

[ testca ]
dir = {dir}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir/issued
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no

[ anything ]
commonName = supplied

[ req ]
distinguished_name = dn
prompt = no

[ dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = {san}

[ both ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = {san}

[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = {san}
"""


@dataclass(frozen=True)
class CertKey:
    cert: Path
    key: Path

    def der(self) -> bytes:
        """The (leaf) certificate in DER (what `getpeercert(binary_form=True)` returns for it)."""
        text = self.cert.read_text()
        end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
        return ssl.PEM_cert_to_DER_cert(text[:end] + "\n")


@dataclass(frozen=True)
class Pki:
    dir: Path
    ca: CertKey                  # trusted: signs the server's and the SRCs' certificates (clientCA)
    other_ca: CertKey            # trusted by nobody
    server: CertKey              # CN/SAN localhost, IP 127.0.0.1 (v1)
    server_v2: CertKey           # the same names, another key and serial: the reload's new certificate
    server_expiring: CertKey     # valid, but ends 10 days from now
    server_expired: CertKey      # ended yesterday
    mismatched_key: Path         # an EC key that belongs to no certificate
    client: CertKey              # sbc1.example.com, SAN DNS:sbc1.example.com + IP:127.0.0.1
    client_expired: CertKey      # sbc1.example.com, ended yesterday
    client_untrusted: CertKey    # sbc1.example.com, signed by other_ca
    client_other_name: CertKey   # sbc9.other.example only (no IP SAN)
    intermediate: CertKey        # an intermediate CA under `ca` (pathlen 0)
    server_chain: CertKey        # localhost/127.0.0.1 from the intermediate; the file holds leaf, then intermediate
    client_chain: CertKey        # sbc1.example.com from the intermediate; the file holds leaf, then intermediate
    server_both: CertKey         # localhost/127.0.0.1 for TLS server and client use (siprecd reconnecting to an SRC)
    sbc_both: CertKey            # sbc1.example.com/127.0.0.1 for TLS server and client use (an SBC's usual certificate)


def _openssl(*args: str, cwd: Path) -> None:
    out = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed ({out.returncode}): {out.stderr}")


def _date(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%SZ")


class _Authority:
    """One CA directory (`openssl ca`'s database, serial and issued certificates)."""

    def __init__(self, root: Path, name: str, subject: str, issuer: "_Authority | None" = None) -> None:
        """A self-signed root, or (with `issuer`) an intermediate signed by it."""
        self.dir = root / name
        (self.dir / "issued").mkdir(parents=True)
        (self.dir / "index.txt").write_text("")
        # A random first serial per CA, so the two CAs (and two runs) never share serial numbers.
        _openssl("rand", "-hex", "-out", str(self.dir / "serial"), "8", cwd=self.dir)
        serial = (self.dir / "serial").read_text().strip()
        (self.dir / "serial").write_text(("0" + serial[1:] if serial[0] in "89abcdefABCDEF" else serial) + "\n")
        self.config_for("DNS:unused")
        now = dt.datetime.now(dt.timezone.utc)
        if issuer is None:
            _openssl("req", "-config", str(self.dir / "openssl.cnf"), "-new", "-x509", "-nodes",
                     "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-keyout", "ca.key", "-out", "ca.pem",
                     "-subj", f"/CN={subject}", "-days", "3650", "-extensions", "v3_ca",
                     "-set_serial", str(int(now.timestamp())), cwd=self.dir)
            self.pair = CertKey(self.dir / "ca.pem", self.dir / "ca.key")
        else:
            issued = issuer.issue(self.dir, "ca", subject, "", "intermediate", now - dt.timedelta(days=1),
                                  now + dt.timedelta(days=3000))
            self.pair = CertKey(issued.cert, issued.key)

    def config_for(self, san: str) -> Path:
        path = self.dir / "openssl.cnf"
        path.write_text(CA_CONFIG.format(dir=self.dir, san=san))
        return path

    def issue(self, out: Path, name: str, cn: str, san: str, profile: str, not_before: dt.datetime,
              not_after: dt.datetime, key: Path | None = None) -> CertKey:
        """A certificate for `cn` with subjectAltName `san` ("DNS:a,IP:1.2.3.4"), valid from `not_before` to
        `not_after`; a new P-256 key unless `key` (an existing one) is given."""
        key_path = out / f"{name}.key"
        if key is None:
            _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(key_path), cwd=out)
        elif key != key_path:
            shutil.copyfile(key, key_path)
        config = self.config_for(san or "DNS:unused")
        csr = out / f"{name}.csr"
        _openssl("req", "-config", str(config), "-new", "-key", str(key_path), "-subj", f"/CN={cn}", "-out", str(csr), cwd=out)
        cert = out / f"{name}.pem"
        _openssl("ca", "-batch", "-config", str(config), "-notext", "-extensions", profile, "-in", str(csr),
                 "-out", str(cert), "-startdate", _date(not_before), "-enddate", _date(not_after), cwd=out)
        csr.unlink()
        key_path.chmod(0o600)
        return CertKey(cert, key_path)


def make_pki(directory: Path) -> Pki:
    """Creates the whole set in `directory` (which must not hold one already) and returns its paths."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = _Authority(directory, "ca", "siprecd test CA")
    other = _Authority(directory, "other-ca", "untrusted test CA")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=365)
    expired = (now - dt.timedelta(days=400), now - dt.timedelta(days=1))
    server_san = "DNS:localhost,IP:127.0.0.1"
    sbc1_san = "DNS:sbc1.example.com,IP:127.0.0.1"
    server = ca.issue(directory, "server", "localhost", server_san, "server", start, end)
    server_v2 = ca.issue(directory, "server-v2", "localhost", server_san, "server", start, end)
    server_expiring = ca.issue(directory, "server-expiring", "localhost", server_san, "server", start,
                               now + dt.timedelta(days=10))
    server_expired = ca.issue(directory, "server-expired", "localhost", server_san, "server", *expired)
    mismatched = directory / "mismatched.key"
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(mismatched), cwd=directory)
    client = ca.issue(directory, "client", "sbc1.example.com", sbc1_san, "client", start, end)
    client_expired = ca.issue(directory, "client-expired", "sbc1.example.com", sbc1_san, "client", *expired)
    client_untrusted = other.issue(directory, "client-untrusted", "sbc1.example.com", sbc1_san, "client", start, end)
    client_other = ca.issue(directory, "client-other-name", "sbc9.other.example", "DNS:sbc9.other.example", "client",
                            start, end)
    intermediate = _Authority(directory, "intermediate-ca", "siprecd test intermediate CA", issuer=ca)
    chains = []
    for name, cn, san, profile in (("server-chain", "localhost", server_san, "server"),
                                   ("client-chain", "sbc1.example.com", sbc1_san, "client")):
        leaf = intermediate.issue(directory, name, cn, san, profile, start, end)
        leaf.cert.write_text(leaf.cert.read_text() + intermediate.pair.cert.read_text())
        chains.append(leaf)
    server_both = ca.issue(directory, "server-both", "localhost", server_san, "both", start, end)
    sbc_both = ca.issue(directory, "sbc-both", "sbc1.example.com", sbc1_san, "both", start, end)
    return Pki(directory, ca.pair, other.pair, server, server_v2, server_expiring, server_expired, mismatched, client,
               client_expired, client_untrusted, client_other, intermediate.pair, *chains, server_both, sbc_both)


# ---- the SRC's side -----------------------------------------------------------

def client_context(pki: Pki, certificate: CertKey | None = None, *, maximum_version=None,
                   verify_server: bool = True) -> ssl.SSLContext:
    """An SRC's TLS context: trusts `pki.ca` for the server (checks its name unless verify_server is False),
    presents `certificate` (None: no client certificate), and offers TLS up to `maximum_version`."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify_server:
        ctx.load_verify_locations(cafile=str(pki.ca.cert))
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if certificate is not None:
        ctx.load_cert_chain(str(certificate.cert), str(certificate.key))
    if maximum_version is not None:
        ctx.maximum_version = maximum_version
    return ctx


def verify(pki: Pki, pair: CertKey, ca: CertKey | None = None, purpose: str | None = None) -> subprocess.CompletedProcess:
    """`openssl verify` of one certificate against `ca` (default: the trusted CA), with the intermediates
    that follow the leaf in its file."""
    args = ["openssl", "verify", "-CAfile", str((ca or pki.ca).cert), "-untrusted", str(pair.cert)]
    if purpose:
        args += ["-purpose", purpose]
    return subprocess.run([*args, str(pair.cert)], capture_output=True, text=True, timeout=30)
