import Wire

/// Writes a pcapng capture file (little-endian): a Section Header Block, one Interface Description
/// Block (with `if_tsresol` = 9 for nanosecond timestamps) and one Enhanced Packet Block per frame.
public struct PcapNGWriter: Sendable {
    public let linkType: LinkType
    public let snaplen: Int
    public let nanosecond: Bool
    private var buffer: [UInt8] = []

    public init(linkType: LinkType, snaplen: Int = 65535, nanosecond: Bool = false) {
        self.linkType = linkType
        self.snaplen = max(1, snaplen)
        self.nanosecond = nanosecond

        var section: [UInt8] = []
        section.appendLE32(0x1A2B_3C4D)         // byte-order magic
        section.appendLE16(1)                   // version 1.0
        section.appendLE16(0)
        section.appendLE32(0xFFFF_FFFF)         // section length unknown (-1)
        section.appendLE32(0xFFFF_FFFF)
        appendBlock(type: 0x0A0D_0D0A, body: section)

        var interface: [UInt8] = []
        interface.appendLE16(UInt16(truncatingIfNeeded: PcapLinkType.fileValue(linkType)))
        interface.appendLE16(0)                 // reserved
        interface.appendLE32(UInt32(truncatingIfNeeded: self.snaplen))
        if nanosecond {
            interface.appendLE16(9)             // if_tsresol: 10^-9 s
            interface.appendLE16(1)
            interface += [9, 0, 0, 0]
            interface += [0, 0, 0, 0]           // opt_endofopt
        }
        appendBlock(type: 1, body: interface)
    }

    /// Appends one Enhanced Packet Block; frames longer than `snaplen` are cut, keeping the original length.
    public mutating func add(frame: [UInt8], timeNanos: Int64) {
        let time = UInt64(max(0, timeNanos))
        let units = nanosecond ? time : time / 1000
        let captured = min(frame.count, snaplen)
        var body: [UInt8] = []
        body.appendLE32(0)                      // interface 0
        body.appendLE32(UInt32(truncatingIfNeeded: units >> 32))
        body.appendLE32(UInt32(truncatingIfNeeded: units))
        body.appendLE32(UInt32(truncatingIfNeeded: captured))
        body.appendLE32(UInt32(truncatingIfNeeded: frame.count))
        body += frame.prefix(captured)
        appendBlock(type: 6, body: body)
    }

    /// The file contents so far.
    public func bytes() -> [UInt8] { buffer }

    /// Writes the file contents to `path`, replacing any file there.
    public func write(to path: String) throws(PcapWriteError) {
        try PcapFile.write(buffer, to: path)
    }

    /// Type, total length, body padded to 32 bits, total length again.
    private mutating func appendBlock(type: UInt32, body: [UInt8]) {
        let padding = (4 - body.count % 4) % 4
        let total = UInt32(truncatingIfNeeded: 12 + body.count + padding)
        buffer.appendLE32(type)
        buffer.appendLE32(total)
        buffer += body
        buffer += Array(repeating: 0, count: padding)
        buffer.appendLE32(total)
    }
}
