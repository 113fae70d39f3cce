#if canImport(Glibc)
import Glibc
#endif

/// What a STORERECORDING does to the audio, in frames of the master (8 kHz): keep `trim` and replace
/// `masks` with a beep or silence on the channels they name. Sample-exact; a pure value.
public struct AudioEdit: Sendable, Equatable {
    public enum Fill: String, Sendable { case beep, silence }

    public struct Mask: Sendable, Equatable {
        /// Master channels the mask covers.
        public var channels: [Int]
        public var range: Range<Int64>
        public var fill: Fill

        public init(channels: [Int], range: Range<Int64>, fill: Fill) {
            self.channels = channels
            self.range = range
            self.fill = fill
        }
    }

    public var trim: Range<Int64>
    public var masks: [Mask]

    public init(trim: Range<Int64>, masks: [Mask] = []) {
        self.trim = trim
        self.masks = masks
    }

    /// The beep: 1 kHz at -12 dBFS, its phase counted from the mask's start, so every beep is the same.
    public static let beepAmplitude = 8_192.0
    public static let beepHertz = 1_000.0

    /// The beep's sample `n` frames into a mask (8 kHz): 1 kHz is 8 samples a period, so the tone is
    /// exactly periodic and computed without drift.
    static let beepTable: [Int16] = (0..<8).map { Int16((beepAmplitude * sin(2 * Double.pi * Double($0) / 8)).rounded()) }

    @inline(__always)
    static func beep(_ n: Int64) -> Int16 { beepTable[Int(n & 7)] }

    /// Applies the masks to `count` interleaved frames of `channels` channels that start at master frame
    /// `start`.
    public func apply(_ buffer: UnsafeMutablePointer<Int16>, start: Int64, count: Int, channels: Int) {
        let chunk = start..<(start + Int64(count))
        for mask in masks {
            let lower = max(mask.range.lowerBound, chunk.lowerBound), upper = min(mask.range.upperBound, chunk.upperBound)
            guard lower < upper else { continue }
            for frame in lower..<upper {
                let value: Int16 = mask.fill == .beep ? AudioEdit.beep(frame - mask.range.lowerBound) : 0
                let base = Int(frame - start) * channels
                for channel in mask.channels where channel < channels { buffer[base + channel] = value }
            }
        }
    }
}
