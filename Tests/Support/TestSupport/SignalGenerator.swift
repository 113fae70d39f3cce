#if canImport(Glibc)
import Glibc
#endif
import MediaCore

/// Deterministic test audio as G.711 codes, with its reference decode.
public enum SignalGenerator {
    /// A sine tone of `count` samples starting at sample `start` (so consecutive packets are continuous).
    public static func sine(frequency: Double, amplitude: Double = 8000, sampleRate: Double = 8000,
                            start: Int = 0, count: Int, codec: AudioCodec) -> [UInt8] {
        (start..<(start + count)).map { n in
            let value = amplitude * sin(2 * Double.pi * frequency * Double(n) / sampleRate)
            return G711Reference.nearestCode(to: Int(value.rounded()), codec)
        }
    }

    /// Reproducible pseudo-random codes: every packet of a stream differs, so misplaced audio shows.
    public static func noise(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return generator.bytes(count)
    }

    /// A linear sine as 16-bit samples (for encoder tests).
    public static func linearSine(frequency: Double, amplitude: Double = 8000, sampleRate: Double = 8000,
                                  count: Int) -> [Int16] {
        (0..<count).map { n in
            Int16((amplitude * sin(2 * Double.pi * frequency * Double(n) / sampleRate)).rounded())
        }
    }
}
