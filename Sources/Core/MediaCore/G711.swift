/// G.711 µ-law and A-law decoding (ITU-T G.711), table-driven.
///
/// The tables are computed once from the standard's segment formulas; decoding a sample is one load.
public enum G711 {
    /// 16-bit linear PCM for each µ-law code.
    public static let muLawTable: [Int16] = (0..<256).map { muLawToLinear(UInt8($0)) }
    /// 16-bit linear PCM for each A-law code.
    public static let aLawTable: [Int16] = (0..<256).map { aLawToLinear(UInt8($0)) }

    /// µ-law code to linear, per G.711 (bias 0x84).
    public static func muLawToLinear(_ code: UInt8) -> Int16 {
        let u = ~code
        let exponent = Int((u >> 4) & 0x07)
        let mantissa = Int(u & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent
        return Int16(u & 0x80 != 0 ? 0x84 - magnitude : magnitude - 0x84)
    }

    /// A-law code to linear, per G.711 (even bits inverted, 0x55).
    public static func aLawToLinear(_ code: UInt8) -> Int16 {
        let a = code ^ 0x55
        let exponent = Int((a >> 4) & 0x07)
        let mantissa = Int(a & 0x0F)
        var magnitude = (mantissa << 4) + 8
        if exponent != 0 { magnitude = (magnitude + 0x100) << (exponent - 1) }
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }
}
