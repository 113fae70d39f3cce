import MediaCore

/// An independent G.711 decoder, written from the standard's segment definitions rather than from
/// MediaCore's bit manipulation, so tests never compare MediaCore with itself.
///
/// µ-law (14-bit domain): |x| = ((2·m + 33) · 2^e) − 33, scaled ×4 to 16 bits; the code is transmitted
/// inverted and the sign bit set means positive.
/// A-law (13-bit domain): |x| = 2·m + 1 in segment 0, (2·m + 33) · 2^(e−1) above it, scaled ×8; the
/// code is transmitted with its even bits inverted (XOR 0x55) and the sign bit set means positive.
public enum G711Reference {
    /// Linear value of a µ-law code.
    public static func muLaw(_ code: UInt8) -> Int16 {
        let inverted = Int(code ^ 0xFF)
        let negative = inverted >= 128
        let segment = (inverted / 16) % 8
        let step = inverted % 16
        let magnitude = ((2 * step + 33) * (1 << segment) - 33) * 4
        return Int16(negative ? -magnitude : magnitude)
    }

    /// Linear value of an A-law code.
    public static func aLaw(_ code: UInt8) -> Int16 {
        let value = Int(code ^ 0x55)
        let positive = value >= 128
        let segment = (value / 16) % 8
        let step = value % 16
        let magnitude13 = segment == 0 ? 2 * step + 1 : (2 * step + 33) * (1 << (segment - 1))
        let magnitude = magnitude13 * 8
        return Int16(positive ? magnitude : -magnitude)
    }

    /// Linear value of a code in a codec.
    public static func decode(_ code: UInt8, _ codec: AudioCodec) -> Int16 {
        codec == .pcmu ? muLaw(code) : aLaw(code)
    }

    /// Linear values of a run of codes.
    public static func decode(_ codes: [UInt8], _ codec: AudioCodec) -> [Int16] {
        codes.map { decode($0, codec) }
    }

    /// The code whose decoded value is nearest to `linear` (a slow but obviously correct encoder).
    public static func nearestCode(to linear: Int, _ codec: AudioCodec) -> UInt8 {
        var best: UInt8 = 0
        var bestDistance = Int.max
        for code in 0...255 {
            let distance = abs(Int(decode(UInt8(code), codec)) - linear)
            if distance < bestDistance { bestDistance = distance; best = UInt8(code) }
        }
        return best
    }
}
