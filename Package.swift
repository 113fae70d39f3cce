// swift-tools-version:6.1
import PackageDescription

/// `make static` (scripts/static.sh) sets SIPRECD_STATIC=1: the C modules below then use the module maps in
/// Sources/CStatic, which link the libraries' static archives instead of their shared objects.
let staticArchives = Context.environment["SIPRECD_STATIC"] == "1"

/// A C library as a system-library target: its shared object normally, its static archive for `make static`.
func cLibrary(_ name: String, pkgConfig: String?, apt: String) -> Target {
    if staticArchives {
        return .systemLibrary(name: name, path: "Sources/C/CStatic/\(name)", providers: [.apt([apt])])
    }
    return .systemLibrary(name: name, path: "Sources/C/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

/// siprecd: a SIPREC (RFC 7866) session recording server for small boards.
/// One folder per stage under Sources/; C libraries through system-library targets.
let package = Package(
    name: "siprecd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "siprecd", targets: ["siprecd"]),
    ],
    // Exact versions: an appliance's build must not float with what a mirror offers that day (their own
    // dependencies — swift-atomics, swift-collections, swift-system — follow from these).
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, imported by exactly one Swift module.
        cLibrary("CPcap", pkgConfig: "libpcap", apt: "libpcap-dev"),
        cLibrary("CLame", pkgConfig: nil, apt: "libmp3lame-dev"),
        .systemLibrary(name: "CAlsa", path: "Sources/C/CAlsa", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CSystemd", path: "Sources/C/CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        cLibrary("CSQLite", pkgConfig: "sqlite3", apt: "libsqlite3-dev"),
        // RS256 / ES256 checks of API tokens (HS256 and the webhook HMAC use our own Signatures module).
        cLibrary("COpenSSL", pkgConfig: "openssl", apt: "libssl-dev"),
        // Codec libraries for what SRCs fork besides G.711 (docs/licenses.md: bcg729 is GPL-3.0).
        cLibrary("CBcg729", pkgConfig: nil, apt: "libbcg729-dev"),
        cLibrary("CSpanDSP", pkgConfig: nil, apt: "libspandsp-dev"),
        // spandsp's G.722 dot products in plain C: the static archive's crash (vector_int.c).
        .target(name: "CSpanDSPVectors", path: "Sources/C/CSpanDSPVectors"),
        cLibrary("COpencoreAMR", pkgConfig: nil, apt: "libopencore-amrnb-dev"),
        cLibrary("COpus", pkgConfig: "opus", apt: "libopus-dev"),
        // Sample-rate conversion (a wideband stream on a narrowband master).
        cLibrary("CSpeexDSP", pkgConfig: "speexdsp", apt: "libspeexdsp-dev"),
        // SRTP: libsrtp2 built against OpenSSL by scripts/build-libsrtp.sh (make deps) into .build/libsrtp,
        // for every build (Debian's own libsrtp2 uses NSS: 14 allocations a packet, BENCHMARKS.md §13);
        // the headers are libsrtp2-dev's (the same release).
        cLibrary("CSRTP", pkgConfig: nil, apt: "libsrtp2-dev"),

        // The system layer: file descriptors (EINTR retried, EAGAIN a value, errno typed), the monotonic
        // clock, dedicated threads and background loops. Every module that touches the OS goes through it.
        .target(name: "SystemLayer", path: "Sources/System/SystemLayer"),

        // Pure modules: no I/O.
        .target(name: "SIPCore", path: "Sources/Core/SIPCore"),
        .target(name: "RecordingMetadata", path: "Sources/Core/RecordingMetadata"),
        .target(name: "MediaCore", path: "Sources/Core/MediaCore"),
        .target(name: "Config", path: "Sources/Core/Config"),
        .target(name: "JSON", path: "Sources/Core/JSON"),
        .target(name: "Wire", path: "Sources/Core/Wire"),
        .target(name: "Signatures", path: "Sources/Core/Signatures"),
        // The domain model that neither HTTP nor SQLite owns: recording states, records, outbox events.
        .target(name: "RecordingModel", path: "Sources/Core/RecordingModel"),

        // Wrappers around C libraries and the operating system.
        .target(name: "Encoding", dependencies: ["CLame", "SystemLayer"], path: "Sources/DataPlane/Encoding"),
        // The decoders of the codecs other than G.711, behind MediaCore's AudioFrameDecoder.
        .target(name: "Codecs", dependencies: ["CBcg729", "CSpanDSP", "CSpanDSPVectors", "COpencoreAMR", "COpus", "CSpeexDSP", "MediaCore"], path: "Sources/DataPlane/Codecs"),
        .target(name: "SRTP", dependencies: ["CSRTP", "SIPCore"], path: "Sources/DataPlane/SRTP",
                linkerSettings: [.unsafeFlags(["-L\(Context.packageDirectory)/.build/libsrtp"])]),
        .target(name: "Capture", dependencies: ["Wire", "CPcap", "JSON", "SystemLayer"], path: "Sources/DataPlane/Capture"),
        .target(name: "Catalog", dependencies: ["CSQLite", "RecordingModel"], path: "Sources/ControlPlane/Catalog"),
        .target(name: "HTTPClient", dependencies: ["LibCrypto", "SystemLayer"], path: "Sources/ControlPlane/HTTPClient"),
        // systemd: the notify protocol (and, later, the journal).
        .target(name: "Systemd", dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")], path: "Sources/System/Systemd"),
        .target(name: "Storage", dependencies: ["Encoding", "Codecs", "HTTPClient", "Signatures", "JSON", "SystemLayer"], path: "Sources/ControlPlane/Storage"),
        // Listening on the box: a recording's master to the ALSA output (siprecd monitor / play).
        .target(name: "ListenIn", dependencies: ["CAlsa", "Storage"], path: "Sources/ControlPlane/ListenIn"),

        // API authentication: JWT (HS256 / RS256 / ES256) and HTTP Basic.
        // libcrypto (OpenSSL 3) behind Swift types: token signature checks, AES-256-GCM for stored files.
        .target(name: "LibCrypto", dependencies: ["COpenSSL", "SystemLayer"], path: "Sources/System/LibCrypto"),
        .target(name: "Auth", dependencies: ["Signatures", "JSON", "LibCrypto", "RecordingModel"], path: "Sources/ControlPlane/Auth"),

        // Services.
        .target(name: "Pipeline", dependencies: ["MediaCore", "Encoding", "Capture", "SRTP", "SystemLayer", "Wire"], path: "Sources/DataPlane/Pipeline"),
        .target(name: "Signalling", dependencies: [
            "SIPCore", "RecordingMetadata", "Wire", "LibCrypto", "SystemLayer",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/ControlPlane/Signalling"),
        .target(name: "API", dependencies: [
            "RecordingModel", "JSON", "SystemLayer",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/ControlPlane/API"),
        .target(name: "Events", dependencies: [
            "Catalog", "Config", "HTTPClient", "JSON", "RecordingModel", "Signatures", "SystemLayer",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/ControlPlane/Events"),
        .target(name: "Archive", dependencies: [
            "Catalog", "Config", "Events", "JSON", "LibCrypto", "RecordingModel", "Storage", "SystemLayer",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/ControlPlane/Archive"),
        .target(name: "Recorder", dependencies: [
            "Archive", "Events", "Config", "Signalling", "Pipeline", "Catalog", "JSON", "RecordingMetadata", "SIPCore", "MediaCore",
            "Capture", "Signatures", "Codecs", "SRTP", "SystemLayer", "Encoding", "Wire", "RecordingModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/ControlPlane/Recorder"),
        // The daemon's wiring: configuration → services, the API's adapter, systemd supervision.
        .target(name: "Daemon", dependencies: [
            "Recorder", "Events", "Config", "Signalling", "Pipeline", "Catalog", "API", "JSON", "MediaCore", "Capture",
            "Signatures", "Auth", "Systemd", "LibCrypto", "SystemLayer", "RecordingModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/Apps/Daemon"),
        .executableTarget(name: "siprecd", dependencies: [
            "Daemon", "Recorder", "Config", "Catalog", "API", "JSON", "Capture", "Pipeline", "MediaCore", "LibCrypto", "HTTPClient", "Systemd",
            "ListenIn", "Storage", "Signatures", "SystemLayer", "RecordingModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/Apps/siprecd"),

        // Benchmarks (make bench): a malloc counter interposed only into the benchmark binary.
        .target(name: "CMallocCounter", path: "Sources/C/CMallocCounter"),
        .executableTarget(name: "siprecd-bench", dependencies: ["MediaCore", "Codecs", "CBcg729", "CSpanDSP", "COpencoreAMR", "COpus", "CSpeexDSP", "Encoding", "CMallocCounter", "Capture", "Wire", "Storage", "LibCrypto", "SRTP", "CSRTP", "SIPCore", "Pipeline"], path: "Sources/Apps/siprecd-bench"),

        // Fuzzing (make fuzz): every parser of network and user input as a libFuzzer target; built without
        // -DFUZZING it replays inputs (the regression corpus in Tests/fuzz).
        .executableTarget(name: "siprecd-fuzz", dependencies: ["API", "RecordingModel", "Codecs", "Capture", "Config", "JSON", "MediaCore", "RecordingMetadata", "SIPCore", "Wire"], path: "Sources/Apps/siprecd-fuzz"),

        // Test support shipped as a library: fixture builders used by unit tests.
        .target(name: "TestSupport", dependencies: ["MediaCore", "SIPCore", "Wire"], path: "Tests/Support/TestSupport"),

        .testTarget(name: "SIPCoreTests", dependencies: ["SIPCore", "TestSupport"], path: "Tests/Core/SIPCoreTests"),
        .testTarget(name: "RecordingMetadataTests", dependencies: ["RecordingMetadata", "TestSupport"], path: "Tests/Core/RecordingMetadataTests"),
        .testTarget(name: "MediaCoreTests", dependencies: ["MediaCore", "TestSupport"], path: "Tests/Core/MediaCoreTests"),
        .testTarget(name: "ConfigTests", dependencies: ["Config"], path: "Tests/Core/ConfigTests"),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "RecordingModel", "TestSupport"], path: "Tests/ControlPlane/CatalogTests"),
        .testTarget(name: "RecordingModelTests", dependencies: ["RecordingModel"], path: "Tests/Core/RecordingModelTests"),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"], path: "Tests/System/SystemdTests"),
        .testTarget(name: "EncodingTests", dependencies: ["Encoding", "TestSupport"], path: "Tests/DataPlane/EncodingTests"),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "CBcg729", "CSpanDSP", "COpencoreAMR", "COpus", "MediaCore", "TestSupport"], path: "Tests/DataPlane/CodecsTests"),
        .testTarget(name: "SignallingTests", dependencies: [
            "Signalling", "SIPCore", "TestSupport", "Wire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/ControlPlane/SignallingTests"),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], path: "Tests/Core/JSONTests"),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP", "SIPCore", "TestSupport"], path: "Tests/DataPlane/SRTPTests"),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"], path: "Tests/Core/WireTests"),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Wire", "SystemLayer"], path: "Tests/DataPlane/CaptureTests"),
        .testTarget(name: "SystemLayerTests", dependencies: ["SystemLayer", "TestSupport"], path: "Tests/System/SystemLayerTests"),
        .testTarget(name: "SignaturesTests", dependencies: ["Signatures"], path: "Tests/Core/SignaturesTests"),
        .testTarget(name: "LibCryptoTests", dependencies: ["LibCrypto", "TestSupport"], path: "Tests/System/LibCryptoTests"),
        .testTarget(name: "AuthTests", dependencies: ["Auth", "Signatures", "COpenSSL"], path: "Tests/ControlPlane/AuthTests"),
        .testTarget(name: "APITests", dependencies: ["API", "JSON", "RecordingModel"], path: "Tests/ControlPlane/APITests"),
        .testTarget(name: "RecorderTests", dependencies: ["Recorder", "Config", "RecordingMetadata", "SIPCore"], path: "Tests/ControlPlane/RecorderTests"),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", .product(name: "Logging", package: "swift-log")],
                    path: "Tests/Apps/DaemonTests"),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "RecordingModel", "Storage"], path: "Tests/ControlPlane/ArchiveTests"),
        .testTarget(name: "EventsTests", dependencies: ["Events", "RecordingModel", "JSON"], path: "Tests/ControlPlane/EventsTests"),
        .testTarget(name: "ListenInTests", dependencies: ["ListenIn"], path: "Tests/ControlPlane/ListenInTests"),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Encoding", "LibCrypto", "TestSupport"], path: "Tests/ControlPlane/StorageTests"),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "MediaCore", "Storage", "Wire", "SRTP", "SIPCore", "TestSupport"], path: "Tests/DataPlane/PipelineTests"),
    ],
    swiftLanguageModes: [.v6]
)
