#if canImport(Glibc)
import Glibc
#endif

/// What a STORERECORDING does to the audio, in frames of the master (at its rate, `sampleRate`): keep
/// `trim` and replace `masks` with a beep or silence on the channels they name. Sample-exact; a pure value.
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
    /// The master's rate, which the beep is made at.
    public var sampleRate: Int

    public init(trim: Range<Int64>, masks: [Mask] = [], sampleRate: Int = 8_000) {
        self.trim = trim
        self.masks = masks
        self.sampleRate = sampleRate
    }

    /// The beep: 1 kHz at -12 dBFS, its phase counted from the mask's start, so every beep is the same.
    public static let beepAmplitude = 8_192.0
    public static let beepHertz = 1_000.0

    /// One period of the beep at `rate` (1 kHz is a whole number of samples at every master rate: 8, 16 or
    /// 48), so the tone is exactly periodic, the same level at every rate, and computed without drift.
    static func beepPeriod(rate: Int) -> [Int16] {
        let samples = max(1, rate / Int(beepHertz))
        return (0..<samples).map { Int16((beepAmplitude * sin(2 * Double.pi * Double($0) / Double(samples))).rounded()) }
    }

    /// Applies the masks to `count` interleaved frames of `channels` channels that start at master frame
    /// `start`.
    public func apply(_ buffer: UnsafeMutablePointer<Int16>, start: Int64, count: Int, channels: Int) {
        let chunk = start..<(start + Int64(count))
        let period = masks.contains { $0.fill == .beep } ? AudioEdit.beepPeriod(rate: sampleRate) : [0]
        let length = Int64(period.count)
        for mask in masks {
            let lower = max(mask.range.lowerBound, chunk.lowerBound), upper = min(mask.range.upperBound, chunk.upperBound)
            guard lower < upper else { continue }
            for frame in lower..<upper {
                let value: Int16 = mask.fill == .beep ? period[Int((frame - mask.range.lowerBound) % length)] : 0
                let base = Int(frame - start) * channels
                for channel in mask.channels where channel < channels { buffer[base + channel] = value }
            }
        }
    }
}
