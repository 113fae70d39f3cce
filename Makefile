# siprecd — build, run, test, benchmark.
#   make run     install what is missing, build (release), start siprecd with embedded defaults
#   make test    install what is missing, run unit tests (swift test) and the end-to-end suite (pytest + sipp)
#   make bench   reassembler and MP3 benchmarks (see BENCHMARKS.md)
#   make bench-load  capacity: concurrent SIPREC calls until a packet is lost or the encoder falls behind (G.711, then each codec)
#   make bench-load-srtp  the same capacity with SRTP-protected streams, next to plain RTP
#   make bench-tls   SIP over TLS: INVITE→200 OK at 100 calls/s on a reused connection, handshakes/s, memory per connection
#   make demo-call  one sample SIPREC call against a running `make run` (SECONDS=20, DEMO_ARGS=--transport tcp)
SWIFT ?= swift
BIN_DEBUG := .build/debug/siprecd
BIN_RELEASE := .build/release/siprecd
BIN_STATIC := .build/static/siprecd
RUN_ARGS ?=

.PHONY: all deps test-deps build release static run test test-long unit-test allocation-check integration-test bench bench-load bench-load-srtp bench-tls fuzz fuzz-smoke demo-call openapi clean clean-data install image cross

# make static                       (the appliance binary: static runtime and C libraries, stripped, checked
#                                    against board/$(BOARD)/dynamic-libs)
# make install DESTDIR=/mnt/root   (BIN= another binary, e.g. a cross-built one; default: the static build)
# make image BOARD=x86_64-generic   (rootfs tarball with a manifest in out/, from the static build)
DESTDIR ?=
BOARD ?= x86_64-generic
BIN ?=

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build --product siprecd

release: deps
	$(SWIFT) build -c release --product siprecd

static: deps
	scripts/static.sh $(BOARD)

run: release
	$(BIN_RELEASE) run $(RUN_ARGS)

test: test-deps
	scripts/check-file-sizes.sh
	scripts/check-manifest.py
	scripts/check-type-sizes.py
	$(SWIFT) build --build-tests
	$(MAKE) unit-test allocation-check static fuzz-smoke integration-test

# The packet path must not allocate per packet: a release build of the benchmark counts mallocs.
allocation-check:
	$(SWIFT) build -c release --product siprecd-bench
	.build/release/siprecd-bench --check-allocations

unit-test:
	$(SWIFT) test --skip-build

integration-test:
	$(SWIFT) build --product siprecd
	SIPRECD_BIN=$(CURDIR)/$(BIN_DEBUG) SIPRECD_STATIC_BIN=$(if $(wildcard $(BIN_STATIC)),$(CURDIR)/$(BIN_STATIC)) \
	  python3 -m pytest Tests/integration -v -rs

# libFuzzer over every parser (SIP, SDP, multipart, RFC 7865 XML, RTP, reassembler, packets, pcap files,
# JSON, REST bodies, config): FUZZ_SECONDS per target; results go in RELIABILITY.md.
FUZZ_SECONDS ?= 300
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The short, deterministic run `make test` includes (fixed seed, 20,000 inputs per target).
fuzz-smoke: deps
	scripts/fuzz.sh smoke > /dev/null

# With `make run` going in another terminal: one sample SIPREC call (sipp + RTP) and its recording.
demo-call: test-deps
	@python3 scripts/demo_call.py $(if $(SECONDS),--seconds $(SECONDS)) $(DEMO_ARGS)

# After editing docs/openapi.json: regenerate the copy compiled into siprecd.
openapi:
	python3 scripts/gen_openapi_swift.py

bench: deps
	@scripts/bench.sh

# Capacity with real SIPREC traffic (sipp + paced RTP, libpcap on lo: run as root); BENCHMARKS.md §9.
LOAD_MP3_LEVELS ?= 200,400,600,800
LOAD_MASTER_LEVELS ?= 500,1000,1500,2000
# Every other codec the SDP may offer (scripts/load/load_codecs.py), each in both modes; a ramp stops at its first failing level.
LOAD_CODECS ?= g729 g726-32 amr g722 amr-wb opus
LOAD_CODEC_MP3_LEVELS ?= 140,280,550
LOAD_CODEC_MASTER_LEVELS ?= 250,500,1000
# Fault tests that take minutes by design (a webhook receiver down for OUTAGE_SECONDS, default 240).
test-long: test-deps
	$(SWIFT) build --product siprecd
	SIPRECD_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest Tests/integration -v -rs -m long -s

# The same capacity with every stream SRTP-protected (SDES key in the SDP), next to plain RTP in the same run
# (BENCHMARKS.md §13): LOAD_SRTP_SUITE, and the levels the plain figures reached.
LOAD_SRTP_SUITE ?= AES_CM_128_HMAC_SHA1_80
LOAD_SRTP_MP3_LEVELS ?= 600
LOAD_SRTP_MASTER_LEVELS ?= 2000
bench-load-srtp: test-deps release
	python3 scripts/bench_load.py $(BIN_RELEASE) --mode mp3 --levels $(LOAD_SRTP_MP3_LEVELS)
	python3 scripts/bench_load.py $(BIN_RELEASE) --mode mp3 --levels $(LOAD_SRTP_MP3_LEVELS) --srtp $(LOAD_SRTP_SUITE)
	python3 scripts/bench_load.py $(BIN_RELEASE) --mode master --levels $(LOAD_SRTP_MASTER_LEVELS)
	python3 scripts/bench_load.py $(BIN_RELEASE) --mode master --levels $(LOAD_SRTP_MASTER_LEVELS) --srtp $(LOAD_SRTP_SUITE)

bench-tls: test-deps release
	python3 scripts/bench_tls.py $(BIN_RELEASE)

bench-load: test-deps release
	python3 scripts/bench_load.py $(BIN_RELEASE) --mode mp3 --levels $(LOAD_MP3_LEVELS)
	python3 scripts/bench_load.py $(BIN_RELEASE) --mode master --levels $(LOAD_MASTER_LEVELS)
	@for codec in $(LOAD_CODECS); do \
	  python3 scripts/bench_load.py $(BIN_RELEASE) --codec $$codec --mode mp3 --levels $(LOAD_CODEC_MP3_LEVELS) || exit 1; \
	  python3 scripts/bench_load.py $(BIN_RELEASE) --codec $$codec --mode master --levels $(LOAD_CODEC_MASTER_LEVELS) || exit 1; \
	done

# Build products only: the recordings and catalog under ./var are data, never removed by a clean target.
clean:
	rm -rf .build

# Deletes ./var (the recordings, catalog and temporary store of `make run`'s embedded defaults): explicit.
clean-data:
	@echo "removing ./var: every recording, the catalog and the temporary store of make run"
	rm -rf var

install:
	@if [ -z "$(DESTDIR)" ]; then echo "usage: make install DESTDIR=/path/to/root [BIN=path/to/siprecd]" >&2; exit 2; fi
	@if [ -z "$(BIN)" ]; then $(MAKE) static; fi
	scripts/install.sh "$(DESTDIR)" "$(if $(BIN),$(BIN),$(BIN_STATIC))"

image:
	@if [ -z "$(BIN)" ]; then $(MAKE) static; fi
	scripts/image.sh "$(BOARD)" "$(if $(BIN),$(BIN),$(BIN_STATIC))" out

# make cross BOARD=arm64-sbc: a release build with the board's Swift SDK (board/README.md).
cross:
	@scripts/cross.sh "$(BOARD)"
