/// What one RTP payload type carries on a stream. An audio format's raw value is its codec's plus one, so
/// the two convert without a table to keep in step.
public enum PayloadFormat: UInt8, Sendable, Equatable {
    /// Not negotiated for the stream (or not decodable): counted as `unknownPayload`.
    case unassigned = 0
    case pcmu = 1, pcma = 2, g729 = 3
    case g726_16 = 4, g726_24 = 5, g726_32 = 6, g726_40 = 7
    case amr = 8, amrOctetAligned = 9
    case g722 = 10
    case aal2G726_16 = 11, aal2G726_24 = 12, aal2G726_32 = 13, aal2G726_40 = 14
    case opus = 15
    case amrWB = 16, amrWBOctetAligned = 17
    /// RFC 4733 telephone-event: DTMF metadata, not audio.
    case telephoneEvent = 200
    /// RFC 3389 comfort noise: silence.
    case comfortNoise = 201

    /// The audio codec of an audio format.
    public var codec: AudioCodec? { rawValue == 0 ? nil : AudioCodec(rawValue: rawValue - 1) }

    public init(_ codec: AudioCodec) {
        self.init(rawValue: codec.rawValue + 1)!
    }
}

/// The payload types one stream negotiated: every audio format siprecd decodes that the offer listed
/// (an SRC forks the call as it is and may switch payload type per packet), telephone-event and CN.
///
/// A fixed table of 128 entries held inline (128 bytes): looking a packet's payload type up is one load,
/// and copying the value allocates nothing.
public struct StreamPayloads: Sendable, Equatable {
    private var table = InlineArray<128, PayloadFormat>(repeating: .unassigned)
    /// The first audio codec of the offer: what the stream is reported as before any audio arrived.
    public private(set) var preferredCodec: AudioCodec?

    /// An empty table: every payload type is unassigned.
    public init() {}

    /// `audio` in the offer's order (the first is the preferred one), telephone-event and CN payload types.
    public init(audio: [(payloadType: UInt8, codec: AudioCodec)], telephoneEvents: [UInt8] = [], comfortNoise: [UInt8] = []) {
        for entry in audio { assign(entry.payloadType, PayloadFormat(entry.codec)) }
        for pt in telephoneEvents { assign(pt, .telephoneEvent) }
        for pt in comfortNoise { assign(pt, .comfortNoise) }
    }

    /// One audio payload type, telephone-event when given, and comfort noise (13 by default; 19, the
    /// pre-RFC 3389 CN number some gateways still send, is always silence).
    public init(audioPayloadType: UInt8, codec: AudioCodec, telephoneEventPayloadType: UInt8? = nil,
                comfortNoisePayloadType: UInt8? = 13) {
        self.init(audio: [(audioPayloadType, codec)], telephoneEvents: telephoneEventPayloadType.map { [$0] } ?? [],
                  comfortNoise: (comfortNoisePayloadType.map { [$0] } ?? []) + [19])
    }

    /// The format of payload type `pt` (0–127).
    @inline(__always)
    public subscript(pt: UInt8) -> PayloadFormat {
        table[Int(pt & 0x7F)]
    }

    /// Gives payload type `pt` a format. The first audio format assigned becomes the preferred codec.
    public mutating func assign(_ pt: UInt8, _ format: PayloadFormat) {
        guard pt < 128 else { return }
        table[Int(pt)] = format
        if preferredCodec == nil, let codec = format.codec { preferredCodec = codec }
    }

    /// Every assigned payload type with its format, in payload-type order.
    public var assignments: [(payloadType: UInt8, format: PayloadFormat)] {
        (0..<128).compactMap { pt in
            let format = self[UInt8(pt)]
            return format == .unassigned ? nil : (UInt8(pt), format)
        }
    }

    /// The audio codecs of the table, each once, in `AudioCodec` order.
    public var codecs: [AudioCodec] {
        AudioCodec.allCases.filter { codec in (0..<128).contains { table[$0].codec == codec } }
    }

    /// This table with the entries of `older` that it leaves unassigned: a renegotiation applies at once,
    /// and packets of the previous payload types still in flight decode as before.
    public func keeping(_ older: StreamPayloads) -> StreamPayloads {
        var merged = self
        for (pt, format) in older.assignments where merged[pt] == .unassigned { merged.assign(pt, format) }
        if merged.preferredCodec == nil { merged.preferredCodec = older.preferredCodec }
        return merged
    }

    public static func == (a: StreamPayloads, b: StreamPayloads) -> Bool {
        a.preferredCodec == b.preferredCodec && (0..<128).allSatisfy { a.table[$0] == b.table[$0] }
    }
}
