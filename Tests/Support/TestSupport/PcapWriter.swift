import Wire

/// Writes a classic libpcap capture file (little-endian; magic 0xa1b2c3d4 for microsecond or
/// 0xa1b23c4d for nanosecond timestamps) in memory, for replay tests.
public struct PcapWriter: Sendable {
    public let linkType: LinkType
    public let snaplen: Int
    public let nanosecond: Bool
    private var buffer: [UInt8] = []

    public init(linkType: LinkType, snaplen: Int = 65535, nanosecond: Bool = false) {
        self.linkType = linkType
        self.snaplen = max(1, snaplen)
        self.nanosecond = nanosecond
        buffer.appendLE32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        buffer.appendLE16(2)                    // version 2.4
        buffer.appendLE16(4)
        buffer.appendLE32(0)                    // thiszone
        buffer.appendLE32(0)                    // sigfigs
        buffer.appendLE32(UInt32(truncatingIfNeeded: self.snaplen))
        buffer.appendLE32(PcapLinkType.fileValue(linkType))
    }

    /// Appends one record; frames longer than `snaplen` are cut, keeping the original length.
    /// Negative times are written as 0.
    public mutating func add(frame: [UInt8], timeNanos: Int64) {
        let time = max(0, timeNanos)
        let captured = min(frame.count, snaplen)
        buffer.appendLE32(UInt32(truncatingIfNeeded: time / 1_000_000_000))
        let fraction = time % 1_000_000_000
        buffer.appendLE32(UInt32(truncatingIfNeeded: nanosecond ? fraction : fraction / 1000))
        buffer.appendLE32(UInt32(truncatingIfNeeded: captured))
        buffer.appendLE32(UInt32(truncatingIfNeeded: frame.count))
        buffer += frame.prefix(captured)
    }

    /// The file contents so far.
    public func bytes() -> [UInt8] { buffer }

    /// Writes the file contents to `path`, replacing any file there.
    public func write(to path: String) throws(PcapWriteError) {
        try PcapFile.write(buffer, to: path)
    }
}

/// Link type numbers as stored in capture files.
enum PcapLinkType {
    /// DLT_RAW (12) is platform-dependent in memory; files use the portable LINKTYPE_RAW (101).
    static func fileValue(_ linkType: LinkType) -> UInt32 {
        linkType == .rawAlt ? 101 : UInt32(linkType.rawValue)
    }
}
