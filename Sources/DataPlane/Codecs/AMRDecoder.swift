import COpencoreAMR
import MediaCore

/// AMR and AMR-WB through opencore-amrnb / -amrwb: an RTP payload (RFC 4867, bandwidth-efficient or
/// octet-aligned, as the SDP's `octet-align` said) holds one or more 20 ms frames — speech in any of the
/// codec's modes, SID (comfort noise), or NO_DATA — each decoded in order; a frame marked damaged (Q = 0) is
/// concealed by the decoder. Frames are decoded at the codec's rate (8 kHz AMR, 16 kHz AMR-WB) and resampled
/// by speexdsp when the master's rate is another, like G.722. State, scratch and output are allocated when the stream opens; `decode`
/// allocates nothing.
public final class AMRDecoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let octetAligned: Bool
    private let wideband: Bool
    /// The decoder's output (8 kHz for AMR, 16 kHz for AMR-WB), resampled to the master's rate when that is another.
    private let output: RateConverter
    private let state: UnsafeMutableRawPointer
    private let scratch: UnsafeMutablePointer<UInt8>

    public init?(_ codec: AudioCodec, sampleRate: Int = 8_000) {
        let isWideband = codec == .amrWB || codec == .amrWBOctetAligned
        guard isWideband || codec == .amr || codec == .amrOctetAligned,
              let output = RateConverter(nativeRate: codec.audioRate, outputRate: sampleRate,
                                         nativeCapacity: AMRPayload.maxFrames * AMRPayload.samplesPerFrame * (isWideband ? 2 : 1)),
              let state = isWideband ? D_IF_init() : Decoder_Interface_init()
        else { return nil }
        self.codec = codec
        self.output = output
        self.state = state
        wideband = isWideband
        octetAligned = codec == .amrOctetAligned || codec == .amrWBOctetAligned
        scratch = .allocate(capacity: AMRPayload.maxStorageFrame)
        scratch.initialize(repeating: 0, count: AMRPayload.maxStorageFrame)
    }

    deinit {
        if wideband { D_IF_exit(state) } else { Decoder_Interface_exit(state) }
        scratch.deallocate()
    }

    public func discontinuity() { output.reset() }

    /// Samples of one 20 ms frame at the decoder's own rate.
    private var frameSamples: Int { wideband ? 2 * AMRPayload.samplesPerFrame : AMRPayload.samplesPerFrame }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        AMRPayload.frameCount(payload, octetAligned: octetAligned, wideband: wideband).map { output.outputCount($0 * frameSamples) }
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        var produced = 0
        let native = output.native, step = frameSamples, capacity = output.nativeCapacity
        if wideband {
            AMRPayload.forEachFrame(payload, octetAligned: octetAligned, wideband: true, scratch: scratch) { frame, good in
                guard produced + step <= capacity else { return }
                D_IF_decode(state, frame, native + produced, good ? 0 : 1)
                produced += step
            }
        } else {
            AMRPayload.forEachFrame(payload, octetAligned: octetAligned, scratch: scratch) { frame, good in
                guard produced + step <= capacity else { return }
                Decoder_Interface_Decode(state, frame, native + produced, good ? 0 : 1)
                produced += step
            }
        }
        return output.convert(produced)
    }

    /// The decoders' own concealment: each lost 20 ms frame is decoded as NO_DATA, which during speech
    /// opencore treats as a bad frame (the last parameters repeated and attenuated), during DTX as comfort noise.
    public func conceal(_ samples: Int, before next: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>? {
        let step = frameSamples
        let frames = min(output.nativeCount(samples) / step, output.nativeCapacity / step)
        let native = output.native
        scratch[0] = AMRPayload.noDataHeader
        for frame in 0..<frames {
            if wideband { D_IF_decode(state, scratch, native + frame * step, 0) } else { Decoder_Interface_Decode(state, scratch, native + frame * step, 0) }
        }
        return output.convert(frames * step)
    }
}
