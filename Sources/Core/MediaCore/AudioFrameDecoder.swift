/// A stateful decoder of one codec for one stream, giving audio at the recording's rate (G.711 into an
/// 8 kHz master needs none). Made by the control plane when a stream opens or renegotiates — its state,
/// resampler and output buffer are allocated then. `samples(in:)` is asked by the capture thread as it
/// places a packet, and must not touch the decoding state; everything else runs on the encoder lane that
/// reads the stream (``DecodeQueue``). Neither allocates per packet.
public protocol AudioFrameDecoder: AnyObject {
    var codec: AudioCodec { get }
    /// The samples (at the recording's rate) one RTP payload holds, or nil when it is malformed (a length
    /// no sequence of the codec's frames has).
    func samples(in payload: UnsafeRawBufferPointer) -> Int?
    /// Decodes a payload `samples(in:)` accepted; the samples stay valid until the next call.
    func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>
    /// Told before a payload that does not continue the last one decoded (a gap, DTX, a reordered packet):
    /// state that carries audio across packets, such as a resampler's filter, must not carry it over.
    func discontinuity()
    /// Audio for up to `samples` timeline samples of packets that never arrived, from the codec's own loss
    /// concealment, continuing the last payload decoded; `next`, the payload after the loss, may carry a
    /// copy of the lost audio (Opus in-band FEC) for the loss's last frame. May give fewer samples than
    /// asked (whole frames, at most the decoder's buffer): call again for the rest, with the same `next`.
    /// nil: the codec has no concealment of its own (G.711, G.722, G.726), and the loss stays silent.
    func conceal(_ samples: Int, before next: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>?
}

extension AudioFrameDecoder {
    /// Codecs whose state is the codec's own (its predictor, its concealment) keep it across gaps.
    public func discontinuity() {}
    public func conceal(_ samples: Int, before next: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>? { nil }
}

/// Makes a stream's decoders (a module that wraps the codec libraries implements it).
public protocol AudioDecoderFactory: Sendable {
    /// A decoder for `codec` giving `sampleRate` samples a second, or nil when this build cannot decode it.
    func makeDecoder(for codec: AudioCodec, sampleRate: Int) -> AudioFrameDecoder?
}

/// One stream's decoders, indexed by codec: a small fixed table, looked up per packet without hashing.
public struct StreamDecoders: @unchecked Sendable {
    // @unchecked: made on the control thread, then handed to the capture thread (which only sizes payloads
    // with them) and, through the stream's DecodeQueue, to the encoder lane that decodes.
    private var slots: [AudioFrameDecoder?] = Array(repeating: nil, count: AudioCodec.allCases.count)
    /// Whether lost packets of these codecs are concealed by the decoders (`[media] concealment = "codec"`)
    /// instead of left silent: their packets are then decoded in timestamp order, held while one before them
    /// may still come (see ``HeldPackets``).
    public var concealsLoss = false

    public init() {}

    /// A decoder for every codec of `payloads` that needs one at `sampleRate` (G.711 does at 16 or 48 kHz).
    public init(for payloads: StreamPayloads, factory: AudioDecoderFactory?, sampleRate: Int = 8_000, concealsLoss: Bool = false) {
        self.concealsLoss = concealsLoss
        guard let factory else { return }
        for codec in payloads.codecs where !codec.isG711 || sampleRate != 8_000 {
            slots[Int(codec.rawValue)] = factory.makeDecoder(for: codec, sampleRate: sampleRate)
        }
    }

    @inline(__always)
    public subscript(codec: AudioCodec) -> AudioFrameDecoder? { slots[Int(codec.rawValue)] }

    /// These decoders, with `newer`'s for the codecs these have none for (a renegotiation keeps the state
    /// of a codec already running).
    public func adding(_ newer: StreamDecoders) -> StreamDecoders {
        var merged = self
        for index in slots.indices where merged.slots[index] == nil { merged.slots[index] = newer.slots[index] }
        return merged
    }
}
