/// A stateful decoder of one codec for one stream (G.729 and the codecs after it; G.711 needs none). Made
/// by the control plane when a stream opens or renegotiates — its state and output buffer are allocated
/// then — and used only by the capture thread, which never allocates per packet.
public protocol AudioFrameDecoder: AnyObject {
    var codec: AudioCodec { get }
    /// The 8 kHz samples (RTP timestamp units) one RTP payload holds, or nil when it is malformed (a length
    /// no sequence of the codec's frames has).
    func samples(in payload: UnsafeRawBufferPointer) -> Int?
    /// Decodes a payload `samples(in:)` accepted; the samples stay valid until the next call.
    func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>
    /// Told before a payload that does not continue the last one decoded (a gap, DTX, a reordered packet):
    /// state that carries audio across packets, such as a resampler's filter, must not carry it over.
    func discontinuity()
}

extension AudioFrameDecoder {
    /// Codecs whose state is the codec's own (its predictor, its concealment) keep it across gaps.
    public func discontinuity() {}
}

/// Makes a stream's decoders (a module that wraps the codec libraries implements it).
public protocol AudioDecoderFactory: Sendable {
    /// A decoder for `codec`, or nil when this build cannot decode it.
    func makeDecoder(for codec: AudioCodec) -> AudioFrameDecoder?
}

/// One stream's decoders, indexed by codec: a small fixed table, looked up per packet without hashing.
public struct StreamDecoders: @unchecked Sendable {
    // @unchecked: made on the control thread, then handed to the capture thread, the only one that uses them.
    private var slots: [AudioFrameDecoder?] = Array(repeating: nil, count: AudioCodec.allCases.count)

    public init() {}

    /// A decoder for every codec of `payloads` that needs one.
    public init(for payloads: StreamPayloads, factory: AudioDecoderFactory?) {
        guard let factory else { return }
        for codec in payloads.codecs where !codec.isG711 { slots[Int(codec.rawValue)] = factory.makeDecoder(for: codec) }
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
