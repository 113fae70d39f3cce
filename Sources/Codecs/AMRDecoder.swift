import COpencoreAMR
import MediaCore

/// AMR and AMR-WB through opencore-amrnb / -amrwb: an RTP payload (RFC 4867, bandwidth-efficient or
/// octet-aligned, as the SDP's `octet-align` said) holds one or more 20 ms frames — speech in any of the
/// codec's modes, SID (comfort noise), or NO_DATA — each decoded in order; a frame marked damaged (Q = 0) is
/// concealed by the decoder. AMR-WB's 16 kHz frames are resampled to 8 kHz by speexdsp while the master is
/// narrowband, like G.722. State, scratch and output are allocated when the stream opens; `decode`
/// allocates nothing.
public final class AMRDecoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let octetAligned: Bool
    /// AMR-WB's 16 kHz output and its resampler; nil for AMR.
    private let wideband: WidebandToNarrowband?
    /// AMR's 8 kHz output; nil for AMR-WB, which writes into `wideband`.
    private let output: UnsafeMutablePointer<Int16>?
    private let state: UnsafeMutableRawPointer
    private let scratch: UnsafeMutablePointer<UInt8>

    public init?(_ codec: AudioCodec) {
        let isWideband = codec == .amrWB || codec == .amrWBOctetAligned
        guard isWideband || codec == .amr || codec == .amrOctetAligned else { return nil }
        let capacity = AMRPayload.maxFrames * AMRPayload.samplesPerFrame
        if isWideband {
            guard let converter = WidebandToNarrowband(capacity: capacity), let state = D_IF_init() else { return nil }
            wideband = converter
            output = nil
            self.state = state
        } else {
            guard let state = Decoder_Interface_init() else { return nil }
            wideband = nil
            let output = UnsafeMutablePointer<Int16>.allocate(capacity: capacity)
            output.initialize(repeating: 0, count: capacity)
            self.output = output
            self.state = state
        }
        self.codec = codec
        octetAligned = codec == .amrOctetAligned || codec == .amrWBOctetAligned
        scratch = .allocate(capacity: AMRPayload.maxStorageFrame)
        scratch.initialize(repeating: 0, count: AMRPayload.maxStorageFrame)
    }

    deinit {
        if wideband != nil { D_IF_exit(state) } else { Decoder_Interface_exit(state) }
        scratch.deallocate()
        output?.deallocate()
    }

    public func discontinuity() { wideband?.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        AMRPayload.frameCount(payload, octetAligned: octetAligned, wideband: wideband != nil).map { $0 * AMRPayload.samplesPerFrame }
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        var produced = 0
        if let wideband {
            AMRPayload.forEachFrame(payload, octetAligned: octetAligned, wideband: true, scratch: scratch) { frame, good in
                D_IF_decode(state, frame, wideband.wide + produced, good ? 0 : 1)
                produced += 2 * AMRPayload.samplesPerFrame
            }
            return wideband.narrowband(produced)
        }
        let output = output!
        AMRPayload.forEachFrame(payload, octetAligned: octetAligned, scratch: scratch) { frame, good in
            Decoder_Interface_Decode(state, frame, output + produced, good ? 0 : 1)
            produced += AMRPayload.samplesPerFrame
        }
        return UnsafeBufferPointer(start: output, count: produced)
    }
}
