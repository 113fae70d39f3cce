import COpencoreAMR
import MediaCore

/// AMR (narrowband) through opencore-amrnb: an RTP payload (RFC 4867, bandwidth-efficient or octet-aligned,
/// as the SDP's `octet-align` said) holds one or more 20 ms frames — speech in any of the eight modes, SID
/// (comfort noise), or NO_DATA — each decoded in order; a frame marked damaged (Q = 0) is concealed by the
/// decoder. State, scratch and output are allocated when the stream opens; `decode` allocates nothing.
public final class AMRDecoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let octetAligned: Bool
    private let state: UnsafeMutableRawPointer
    private let scratch: UnsafeMutablePointer<UInt8>
    private let output: UnsafeMutablePointer<Int16>

    public init?(_ codec: AudioCodec) {
        guard codec == .amr || codec == .amrOctetAligned, let state = Decoder_Interface_init() else { return nil }
        self.codec = codec
        octetAligned = codec == .amrOctetAligned
        self.state = state
        scratch = .allocate(capacity: AMRPayload.maxStorageFrame)
        scratch.initialize(repeating: 0, count: AMRPayload.maxStorageFrame)
        output = .allocate(capacity: AMRPayload.maxFrames * AMRPayload.samplesPerFrame)
        output.initialize(repeating: 0, count: AMRPayload.maxFrames * AMRPayload.samplesPerFrame)
    }

    deinit {
        Decoder_Interface_exit(state)
        scratch.deallocate()
        output.deallocate()
    }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        AMRPayload.frameCount(payload, octetAligned: octetAligned).map { $0 * AMRPayload.samplesPerFrame }
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        var produced = 0
        AMRPayload.forEachFrame(payload, octetAligned: octetAligned, scratch: scratch) { frame, good in
            Decoder_Interface_Decode(state, frame, output + produced, good ? 0 : 1)
            produced += AMRPayload.samplesPerFrame
        }
        return UnsafeBufferPointer(start: output, count: produced)
    }
}
