"""make install and make image: the installed layout and permissions, the unit verified by
systemd-analyze, the image tarball's manifest checksums, and the binary inside running --version."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from conftest import SIPRECD_BIN

REPO = Path(__file__).resolve().parents[2]
# The appliance binary (make static); `make test` builds it and sets this. The image is made from it.
STATIC_BIN = Path(os.environ["SIPRECD_STATIC_BIN"]) if os.environ.get("SIPRECD_STATIC_BIN") else None
IMAGE_BIN = STATIC_BIN or SIPRECD_BIN


def needed_libraries(binary: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, timeout=60, check=True).stdout
    return {line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line}


def board_list(board: str) -> set[str]:
    text = (REPO / "board" / board / "dynamic-libs").read_text()
    return {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}


@pytest.mark.skipif(STATIC_BIN is None, reason="SIPRECD_STATIC_BIN not set (make test builds it with make static)")
def test_static_binary_needs_only_what_the_board_lists(tmp_path):
    needed = needed_libraries(STATIC_BIN)
    assert needed <= board_list("x86_64-generic"), f"extra shared libraries: {needed - board_list('x86_64-generic')}"
    for linked in ("libpcap", "libmp3lame", "libsqlite3", "libssl", "libcrypto", "libstdc++", "libgcc_s", "libswiftCore"):
        assert not any(name.startswith(linked) for name in needed), f"{linked} is linked dynamically: {needed}"
    sections = subprocess.run(["readelf", "-S", str(STATIC_BIN)], capture_output=True, text=True, timeout=60).stdout
    assert ".symtab" not in sections, "the static binary is not stripped"
    # The checker itself refuses a binary with a library the board does not list (the debug build has many).
    checked = subprocess.run(["scripts/check-dynamic-libs.sh", str(SIPRECD_BIN), "x86_64-generic"], cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode != 0 and "libpcap" in checked.stderr, checked.stderr
    ok = subprocess.run(["scripts/check-dynamic-libs.sh", str(STATIC_BIN), "x86_64-generic"], cwd=REPO,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    # It works: records nothing here, but opens its catalog, parses its config and answers --version.
    assert subprocess.run([str(STATIC_BIN), "config", "check", "--config", str(REPO / "rootfs-overlay/etc/siprecd/siprecd.toml")],
                          capture_output=True, timeout=30).returncode == 0


def test_install_layout_permissions_and_unit(tmp_path):
    root = tmp_path / "root"
    done = subprocess.run(["make", "-s", "install", f"DESTDIR={root}", f"BIN={SIPRECD_BIN}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    expected = {"usr/bin/siprecd": 0o755, "etc/siprecd/siprecd.toml": 0o640, "etc/systemd/system/siprecd.service": 0o644,
                "usr/lib/tmpfiles.d/siprecd.conf": 0o644, "usr/lib/sysusers.d/siprecd.conf": 0o644,
                "etc/systemd/journald.conf.d/siprecd.conf": 0o644, "etc/sysctl.d/60-siprecd.conf": 0o644,
                "usr/share/doc/siprecd/README.md": 0o644}
    for path, mode in expected.items():
        assert (root / path).is_file(), f"{path} not installed"
        assert (root / path).stat().st_mode & 0o777 == mode, f"{path} has mode {oct((root / path).stat().st_mode & 0o777)}"
    version = subprocess.run([str(root / "usr/bin/siprecd"), "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0 and version.stdout.strip(), version.stderr
    check = subprocess.run([str(root / "usr/bin/siprecd"), "config", "check", "--config", str(root / "etc/siprecd/siprecd.toml")],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    unit = (root / "etc/systemd/system/siprecd.service").read_text()
    for directive in ("Type=notify", "WatchdogSec=", "Restart=on-failure", "User=siprecd", "ProtectSystem=strict",
                      "ReadWritePaths=/var/lib/siprecd", "RuntimeDirectory=siprecd", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_RAW", "MemoryMax="):
        assert directive in unit, f"the unit lacks {directive}"
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    # verify checks every directive; the ExecStart path must exist on this host, so point it at the installed binary.
    copy = tmp_path / "verify" / "siprecd.service"
    copy.parent.mkdir()
    copy.write_text(unit.replace("/usr/bin/siprecd", str(root / "usr/bin/siprecd")))
    verified = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and "siprecd.service" not in verified.stderr, verified.stderr


def test_image_tarball_with_manifest(tmp_path):
    out = subprocess.run(["scripts/image.sh", "x86_64-generic", str(IMAGE_BIN), str(tmp_path / "out")], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    tarball = Path(out.stdout.strip().splitlines()[-1])
    assert tarball.name.endswith("-x86_64-generic.tar.gz") and tarball.exists()
    root = tmp_path / "unpacked"
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            assert member.uid == 0 and member.gid == 0 and not member.name.startswith("/") and ".." not in member.name
        archive.extractall(root, filter="tar")
    manifest = (root / "usr/share/siprecd/MANIFEST").read_text().splitlines()
    assert manifest[0].startswith("siprecd ") and manifest[1] == "board x86_64-generic" and manifest[2].startswith("target ")
    listed = 0
    for line in manifest[3:]:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, f"{name} does not match the manifest"
        listed += 1
    assert listed >= 10
    assert os.access(root / "usr/bin/siprecd", os.X_OK)
    assert subprocess.run([str(root / "usr/bin/siprecd"), "--version"], capture_output=True, timeout=30).returncode == 0
    if STATIC_BIN is not None:
        assert needed_libraries(root / "usr/bin/siprecd") <= board_list("x86_64-generic")
    # The board profile's interface, audio device and data directory are in the image's configuration.
    config = (root / "etc/siprecd/siprecd.toml").read_text()
    assert 'interface = "eth0"' in config and 'device = "default"' in config and 'dataDir = "/var/lib/siprecd"' in config
    # A binary for another machine than the board's is refused (the x86 build is not an arm64-sbc image).
    arm = subprocess.run(["scripts/image.sh", "arm64-sbc", str(IMAGE_BIN), str(tmp_path / "o3")], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert arm.returncode != 0 and "aarch64" in arm.stderr and "x86_64" in arm.stderr, arm.stderr
    wrong = subprocess.run(["scripts/image.sh", "no-such-board", str(SIPRECD_BIN), str(tmp_path / "o2")], cwd=REPO,
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0 and "no board profile" in wrong.stderr


def test_cross_build_without_the_sdk_says_what_to_install():
    sdks = subprocess.run(["swift", "sdk", "list"], capture_output=True, text=True, timeout=60).stdout
    if "aarch64-unknown-linux-gnu" in sdks.splitlines():
        pytest.skip("an aarch64 Swift SDK is installed here; the build would run")
    out = subprocess.run(["make", "-s", "cross", "BOARD=arm64-sbc"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0, out.stdout
    assert "Swift SDK 'aarch64-unknown-linux-gnu'" in out.stderr and "swift sdk install" in out.stderr, out.stderr
