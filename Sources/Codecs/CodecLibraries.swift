import MediaCore

/// The decoders this build links: G.729 through bcg729, G.726 and G.722 through spandsp, AMR and AMR-WB
/// through opencore-amrnb and -amrwb, Opus through libopus (G.711 needs none: it is decoded by table).
public struct CodecLibraries: AudioDecoderFactory {
    public init() {}

    public func makeDecoder(for codec: AudioCodec) -> AudioFrameDecoder? {
        switch codec {
        case .pcmu, .pcma: return nil
        case .g729: return G729Decoder()
        case .g726_16, .g726_24, .g726_32, .g726_40, .aal2G726_16, .aal2G726_24, .aal2G726_32, .aal2G726_40: return G726Decoder(codec)
        case .g722: return G722Decoder()
        case .opus: return OpusDecoder()
        case .amr, .amrOctetAligned, .amrWB, .amrWBOctetAligned: return AMRDecoder(codec)
        }
    }
}
