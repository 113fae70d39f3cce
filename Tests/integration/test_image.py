"""make install and make image: the installed layout and permissions, the unit verified by
systemd-analyze, the image tarball's manifest checksums, and the binary inside running --version."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
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
            if member.isdir() and not member.name.startswith(("./etc/siprecd", "./var/lib/siprecd")):
                assert member.mode & 0o755 == 0o755, f"{member.name} has mode {oct(member.mode)}: unreadable for the service"
        archive.extractall(root, filter="tar")
    manifest = (root / "usr/share/siprecd/MANIFEST").read_text().splitlines()
    assert manifest[0].startswith("siprecd ") and manifest[1] == "board x86_64-generic" and manifest[2].startswith("target ")
    licences = [line.split("\t") for line in manifest[3:] if line.startswith("licence\t")]
    check_licences(licences)
    listed = 0
    for line in manifest[3 + len(licences):]:
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


def licence_table() -> list[list[str]]:
    """The rows of docs/licenses.md's table: library, linked, Debian package, SPDX, upstream."""
    rows = []
    for line in (REPO / "docs/licenses.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 5 and cells[1] in ("static", "dynamic"):
            rows.append(cells)
    return rows


def check_licences(licences: list[list[str]]) -> None:
    """The manifest's licence lines are the table's rows, each with the version the build used."""
    table = licence_table()
    assert len(licences) == len(table), f"manifest has {len(licences)} licence lines, docs/licenses.md {len(table)}"
    for (_, name, linked, version, spdx), row in zip(licences, table):
        assert [name, linked, spdx] == [row[0], row[1], row[3]]
        assert version != "-" and version[0].isdigit(), f"no version for {name}: {version}"


def test_every_linked_library_has_its_licence_listed():
    assert (REPO / "LICENSE").read_text().lstrip().startswith("Apache License")
    table = licence_table()
    text = " ".join(" ".join(row) for row in table)
    # Every static archive the appliance build links (Sources/C/CStatic module maps).
    for modulemap in (REPO / "Sources/C/CStatic").glob("*/module.modulemap"):
        for archive in re.findall(r'link ":lib([^".]+)\.a"', modulemap.read_text()):
            assert any(archive.split("-")[0] in row[0] or archive in row[2] for row in table), \
                f"{archive} (in {modulemap.parent.name}) is linked but docs/licenses.md does not list it"
    # Every shared library a board provides.
    for board in ("x86_64-generic", "arm64-sbc"):
        for soname in board_list(board):
            stem = soname.split(".so")[0].removeprefix("lib")
            known = {"c": "GNU C library", "m": "GNU C library", "ld-linux-x86-64": "GNU C library",
                     "ld-linux-aarch64": "GNU C library", "asound": "ALSA", "systemd": "libsystemd"}
            assert known.get(stem, stem) in text, f"{soname} ({board}) is not in docs/licenses.md"
    # Every Swift package the build resolves.
    for package in re.findall(r'"identity"\s*:\s*"([^"]+)"', (REPO / "Package.resolved").read_text()):
        assert any(row[0] == package and row[2] == "Swift package" for row in table), \
            f"Swift package {package} is not in docs/licenses.md"
    assert all(row[3] for row in table), "a library without an SPDX licence"


def test_the_service_user_can_read_the_installed_configuration(tmp_path):
    """First boot of the image: sysusers.d creates siprecd, tmpfiles.d gives it the configuration; then
    `siprecd config check` run as that user reads it, and another unprivileged user cannot."""
    if os.geteuid() != 0 or shutil.which("systemd-sysusers") is None or shutil.which("setpriv") is None:
        pytest.skip("needs root, systemd-sysusers and setpriv")
    out = subprocess.run(["scripts/image.sh", "x86_64-generic", str(IMAGE_BIN), str(tmp_path / "out")], cwd=REPO,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    # Outside pytest's 0700 temporary folder, so the unprivileged users below can reach the tree.
    base = Path(tempfile.mkdtemp(prefix="siprecd-image-"))
    try:
        os.chmod(base, 0o755)
        first_boot_then_check(out.stdout.strip().splitlines()[-1], base / "root")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def first_boot_then_check(tarball: str, root: Path) -> None:
    root.mkdir(mode=0o755)
    with tarfile.open(tarball) as archive:
        archive.extractall(root, filter="tar")
    config = root / "etc/siprecd/siprecd.toml"
    assert config.stat().st_mode & 0o007 == 0, "the configuration is readable by others"
    # A base system's user database, then what systemd does at first boot.
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\n")
    for tool in (["systemd-sysusers", f"--root={root}"], ["systemd-tmpfiles", f"--root={root}", "--create"]):
        done = subprocess.run(tool, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    user = next(line.split(":") for line in (root / "etc/passwd").read_text().splitlines() if line.startswith("siprecd:"))
    uid, gid = int(user[2]), int(user[3])
    assert (config.stat().st_gid, config.stat().st_mode & 0o777) == (gid, 0o640)
    assert ((root / "etc/siprecd").stat().st_gid, (root / "etc/siprecd").stat().st_mode & 0o777) == (gid, 0o750)
    binary = root / "usr/bin/siprecd"

    def check_as(user_id: int, group_id: int) -> subprocess.CompletedProcess:
        return subprocess.run(["setpriv", f"--reuid={user_id}", f"--regid={group_id}", "--clear-groups", str(binary),
                               "config", "check", str(config)], capture_output=True, text=True, timeout=30, cwd=root)

    service = check_as(uid, gid)
    assert service.returncode == 0 and "configuration OK" in service.stdout, service.stderr
    stranger = check_as(65534, 65534)
    assert stranger.returncode != 0 and "permission denied" in stranger.stderr, stranger.stderr
    assert "does not exist" not in stranger.stderr


def test_make_install_into_a_root_with_users_gives_the_configuration_to_the_service_group(tmp_path):
    if os.geteuid() != 0 or shutil.which("systemd-sysusers") is None:
        pytest.skip("needs root and systemd-sysusers")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\n")
    done = subprocess.run(["make", "-s", "install", f"DESTDIR={root}", f"BIN={SIPRECD_BIN}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    gid = next(int(line.split(":")[2]) for line in (root / "etc/group").read_text().splitlines() if line.startswith("siprecd:"))
    config = root / "etc/siprecd/siprecd.toml"
    assert (config.stat().st_uid, config.stat().st_gid, config.stat().st_mode & 0o777) == (0, gid, 0o640)
    assert (root / "usr/share/doc/siprecd/LICENSE").is_file() and (root / "usr/share/doc/siprecd/licenses.md").is_file()


def test_cross_build_without_the_sdk_says_what_to_install():
    sdks = subprocess.run(["swift", "sdk", "list"], capture_output=True, text=True, timeout=60).stdout
    if "aarch64-unknown-linux-gnu" in sdks.splitlines():
        pytest.skip("an aarch64 Swift SDK is installed here; the build would run")
    out = subprocess.run(["make", "-s", "cross", "BOARD=arm64-sbc"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0, out.stdout
    assert "Swift SDK 'aarch64-unknown-linux-gnu'" in out.stderr and "swift sdk install" in out.stderr, out.stderr
