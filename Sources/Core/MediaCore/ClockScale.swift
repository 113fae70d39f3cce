/// How an RTP clock maps onto a recording's timeline: a position is `timestamp × multiplier / divisor`
/// samples at the timeline's rate. Every pair siprecd meets (RTP clocks of 8000, 16000 and 48000 Hz;
/// timelines of 8000, 16000 and 48000 Hz) is a whole ratio one way or the other.
public struct ClockScale: Sendable, Equatable {
    public let multiplier: Int64
    public let divisor: Int64

    /// RTP clock and timeline run at the same rate (G.711 into an 8 kHz master).
    public static let identity = ClockScale(multiplier: 1, divisor: 1)

    public init(multiplier: Int64, divisor: Int64) {
        self.multiplier = max(1, multiplier)
        self.divisor = max(1, divisor)
    }

    /// From an RTP clock of `clockRate` Hz onto a timeline of `timelineRate` samples a second.
    @inline(__always)
    public init(clockRate: Int, timelineRate: Int) {
        if clockRate == timelineRate {
            self = .identity
        } else if timelineRate > clockRate, timelineRate % clockRate == 0 {
            self.init(multiplier: Int64(timelineRate / clockRate), divisor: 1)
        } else if clockRate % timelineRate == 0 {
            self.init(multiplier: 1, divisor: Int64(clockRate / timelineRate))
        } else {
            var a = clockRate, b = timelineRate
            while b != 0 { (a, b) = (b, a % b) }
            self.init(multiplier: Int64(timelineRate / a), divisor: Int64(clockRate / a))
        }
    }

    /// The timeline position of an (extended) RTP timestamp, rounded towards minus infinity.
    @inline(__always)
    public func position(_ units: Int64) -> Int64 {
        let scaled = units &* multiplier
        if divisor == 1 { return scaled }
        return scaled >= 0 ? scaled / divisor : -((-scaled + divisor - 1) / divisor)
    }

    /// A length in RTP clock units (a telephone-event's duration), in timeline samples.
    @inline(__always)
    public func samples(_ units: Int) -> Int { Int(position(Int64(units))) }
}
