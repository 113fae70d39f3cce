/// What `siprecd monitor` and `play` hear: the master's per-stream channels folded like the MP3
/// (caller streams left, callee streams right, saturating), or into one channel.
public struct ListenMix: Sendable {
    public enum Side: Sendable { case left, right }

    /// The side of each master channel, in channel order.
    public let sides: [Side]
    public let mono: Bool
    public var outputChannels: Int { mono ? 1 : 2 }

    public init(sides: [Side], mono: Bool) {
        self.sides = sides
        self.mono = mono
    }

    /// Folds `frames` frames of `sides.count` interleaved channels into `output`
    /// (`frames * outputChannels` samples).
    public func fold(_ input: UnsafePointer<Int16>, frames: Int, into output: UnsafeMutablePointer<Int16>) {
        let channels = sides.count
        for frame in 0..<frames {
            var left: Int32 = 0, right: Int32 = 0
            for channel in 0..<channels {
                let sample = Int32(input[frame * channels + channel])
                if sides[channel] == .left { left += sample } else { right += sample }
            }
            if mono {
                output[frame] = Int16(clamping: left + right)
            } else {
                output[2 * frame] = Int16(clamping: left)
                output[2 * frame + 1] = Int16(clamping: right)
            }
        }
    }
}
