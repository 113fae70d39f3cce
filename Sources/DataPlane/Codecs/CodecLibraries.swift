import MediaCore

/// The decoders this build links: G.729 through bcg729, G.726 and G.722 through spandsp, AMR and AMR-WB
/// through opencore-amrnb and -amrwb, Opus through libopus (G.711 needs one only into a master wider than 8 kHz: it is decoded by table).
public struct CodecLibraries: AudioDecoderFactory {
    public init() {}

    public func makeDecoder(for codec: AudioCodec, sampleRate: Int) -> AudioFrameDecoder? {
        switch codec {
        case .pcmu, .pcma: return sampleRate == 8_000 ? nil : G711Decoder(codec, sampleRate: sampleRate)
        case .g729: return G729Decoder(sampleRate: sampleRate)
        case .g726_16, .g726_24, .g726_32, .g726_40, .aal2G726_16, .aal2G726_24, .aal2G726_32, .aal2G726_40:
            return G726Decoder(codec, sampleRate: sampleRate)
        case .g722: return G722Decoder(sampleRate: sampleRate)
        case .opus: return OpusDecoder(sampleRate: sampleRate)
        case .amr, .amrOctetAligned, .amrWB, .amrWBOctetAligned: return AMRDecoder(codec, sampleRate: sampleRate)
        }
    }
}
