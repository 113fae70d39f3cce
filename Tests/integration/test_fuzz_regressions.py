"""The fuzz targets' inputs replayed through the plain (non-libFuzzer) build of siprecd-fuzz: the seed corpus
made from the fixtures, and every input a fuzzer ever crashed on (Tests/fuzz/TARGET/). A crash here is a
parser that fails on bytes it has already been shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SIPRECD_BIN

REPO = Path(__file__).resolve().parents[2]
FUZZ_BIN = SIPRECD_BIN.parent / "siprecd-fuzz"
TARGETS = ["sip", "sdp", "multipart", "metadata", "rtp", "reassembler", "packet", "pcap", "json", "rest", "config"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    if not FUZZ_BIN.exists():
        pytest.skip(f"{FUZZ_BIN} not built (swift build --build-tests builds it)")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(REPO / "scripts/fuzz_corpus.py"), str(out)], check=True, capture_output=True)
    return out


@pytest.mark.parametrize("target", TARGETS)
def test_inputs_replay_without_a_crash(corpus, target):
    files = sorted(str(p) for p in (corpus / target).iterdir())
    assert files, f"no inputs for {target}"
    run = subprocess.run([str(FUZZ_BIN), target, *files], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{target} crashed on its corpus:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    assert f"{len(files)} input(s) ran through {target}" in run.stdout, run.stdout
