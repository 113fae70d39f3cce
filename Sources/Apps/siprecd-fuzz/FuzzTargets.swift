import RecordingModel
import API
import Codecs
import Capture
import Config
import JSON
import MediaCore
import RecordingMetadata
import SIPCore
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The parsers that take bytes from the network or from users, each as a fuzz target. A target must
/// never crash or hang whatever the bytes; errors are the expected outcome for most inputs.
enum FuzzTarget: String, CaseIterable {
    case sip, sdp, multipart, metadata, rtp, reassembler, packet, pcap, json, rest, config

    func run(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        switch self {
        case .sip:
            _ = try? SIPParser.parse(bytes)
        case .sdp:
            // Every m-line's derived views too: rtpmaps, fmtp, SDES crypto lines (keys decoded and wiped).
            if let session = try? SDPSession.parse(bytes) {
                for media in session.media { _ = (media.rtpMaps, media.cryptoOffers, media.isSecureRTP) }
            }
        case .multipart:
            // First line: the boundary; the rest: the body.
            let split = bytes.firstIndex(of: 10) ?? bytes.count
            let boundary = String(decoding: bytes[..<split], as: UTF8.self)
            _ = try? MultipartParser.parse(Array(bytes[min(split + 1, bytes.count)...]), boundary: boundary)
        case .metadata:
            _ = try? RecordingMetadata.parse(bytes)
        case .rtp:
            _ = RTPPacket.parse(input)
        case .reassembler:
            FuzzTarget.reassemble(bytes)
        case .packet:
            // First byte picks the link type; the rest is the frame.
            guard let first = bytes.first else { return }
            let link = LinkType.allCases[Int(first) % LinkType.allCases.count]
            bytes.dropFirst().withUnsafeBytes { _ = PacketDecoder.decode($0, linkType: link) }
        case .pcap:
            FuzzTarget.readCapture(bytes)
        case .json:
            _ = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self))
        case .rest:
            // First byte picks the request body decoder.
            guard let first = bytes.first else { return }
            let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
            switch first % 4 {
            case 0: _ = try? SipRecordingCommand.parse(text)
            case 1: _ = try? ControlCommand.parse(action: ControlAction.allCases[Int(first / 4) % ControlAction.allCases.count], body: text)
            case 2: _ = try? CloudCommand.parse(kind: [.stop, .cancel, .delete, .store][Int(first / 4) % 4], body: text)
            default: _ = try? CloudCommand.parse(kind: .merge, body: text)
            }
        case .config:
            _ = SiprecdConfig.problems(toml: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Datagrams for one stream: each is a length byte, two bytes of arrival (in packets), then the
    /// datagram; released and read the way the capture and encoder threads do. A length byte of 0xFF is
    /// a pause or resume edge (they alternate) stamped at that arrival, with no datagram. The stream takes
    /// PCMU (0), G.729 (18, bcg729), G.726-32 (96), G.726-40 (97) and AAL2-G726-24 (100, spandsp), G.722 (9,
    /// spandsp and speexdsp), Opus (111, libopus), AMR-WB (112, 113), AMR bandwidth-efficient (98) and octet-aligned (99, opencore-amrnb) — every
    /// depayloader — and telephone-event (101).
    static func reassemble(_ bytes: [UInt8]) {
        var payloads = StreamPayloads(audioPayloadType: 0, codec: .pcmu, telephoneEventPayloadType: 101)
        payloads.assign(18, .g729)
        payloads.assign(96, .g726_32)
        payloads.assign(97, .g726_40)
        payloads.assign(98, .amr)
        payloads.assign(99, .amrOctetAligned)
        payloads.assign(9, .g722)
        payloads.assign(100, .aal2G726_24)
        payloads.assign(111, .opus)
        payloads.assign(112, .amrWB)
        payloads.assign(113, .amrWBOctetAligned)
        let reassembler = try! StreamReassembler(payloads: payloads, decoders: StreamDecoders(for: payloads, factory: CodecLibraries()),
                                            timing: ReassemblyTiming(reorderWindow: 1600, jumpThreshold: 8000, ringCapacity: 16_384))
        var buffer = [Int16](repeating: 0, count: 16_384)
        var consumed: Int64 = 0
        var at = 0
        var clock: Int64 = 0
        var accepting = true
        while at + 3 <= bytes.count {
            let length = Int(bytes[at])
            let arrival = Int64(bytes[at + 1]) << 8 | Int64(bytes[at + 2])
            at += 3
            if length == 0xFF {
                accepting.toggle()
                reassembler.schedule(AdmissionGate.Edge(nanos: arrival * 160 * 125_000, position: arrival * 160, accepting: accepting))
                continue
            }
            let end = min(bytes.count, at + length)
            clock = max(clock, arrival * 160)
            bytes[at..<end].withUnsafeBytes { reassembler.receive($0, arrival: arrival * 160, arrivalNanos: clock * 125_000) }
            at = end
            reassembler.advance(now: clock, horizonNanos: clock &* 125_000)
            let ready = Int(min(reassembler.readable(consumer: consumed), Int64(buffer.count)))
            if ready > 0 {
                buffer.withUnsafeMutableBufferPointer { reassembler.ring.read(into: $0.baseAddress!, count: ready) }
                consumed += Int64(ready)
            }
        }
        _ = reassembler.close(at: clock + 1600)
    }

    /// A capture file (pcap or pcapng) read to its end, every frame decoded.
    static func readCapture(_ bytes: [UInt8]) {
        let path = "/dev/shm/siprecd-fuzz-\(getpid()).cap"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        guard let reader = try? PcapFileReader(path: path) else { return }
        var frames = 0
        while frames < 100_000, (try? reader.next({ _, frame in
            if let link = reader.linkType { _ = PacketDecoder.decode(frame, linkType: link) }
        })) == true {
            frames += 1
        }
    }
}
