#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport
@testable import Wire

@Suite("Capture file writing")
struct PcapWriterTests {
    static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    @Test("A classic pcap file has the expected global and record headers, byte by byte")
    func pcapLayout() {
        for nanosecond in [false, true] {
            var writer = PcapWriter(linkType: .linuxSLL, snaplen: 50, nanosecond: nanosecond)
            let frame = FrameBuilder.udp(from: alice, to: bob, payload: Array(repeating: 3, count: 100), link: .linuxSLL)
            writer.add(frame: frame, timeNanos: 1_700_000_000_123_456_789)
            let bytes = writer.bytes()
            #expect(Self.le32(bytes, 0) == (nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4))
            #expect(bytes[4..<8] == [2, 0, 4, 0] && Self.le32(bytes, 16) == 50 && Self.le32(bytes, 20) == 113)
            #expect(Self.le32(bytes, 24) == 1_700_000_000)
            #expect(Self.le32(bytes, 28) == (nanosecond ? 123_456_789 : 123_456))
            #expect(Self.le32(bytes, 32) == 50 && Self.le32(bytes, 36) == UInt32(frame.count))
            #expect(Array(bytes[40...]) == Array(frame.prefix(50)))
        }
        #expect(Self.le32(PcapWriter(linkType: .rawAlt).bytes(), 20) == 101, "files use the portable LINKTYPE_RAW")
    }

    @Test("A pcapng file is made of well-formed SHB, IDB and EPB blocks")
    func pcapngLayout() {
        var writer = PcapNGWriter(linkType: .ethernet, nanosecond: true)
        let frame = FrameBuilder.udp(from: alice, to: bob, payload: [1, 2, 3, 4, 5, 6, 7])
        writer.add(frame: frame, timeNanos: 5_000_000_001)
        let bytes = writer.bytes()
        var offset = 0
        var types: [UInt32] = []
        while offset < bytes.count {
            let length = Int(Self.le32(bytes, offset + 4))
            #expect(length % 4 == 0 && Self.le32(bytes, offset + length - 4) == UInt32(length))
            types.append(Self.le32(bytes, offset))
            offset += length
        }
        #expect(types == [0x0A0D_0D0A, 1, 6] && offset == bytes.count)
        #expect(Self.le32(bytes, 8) == 0x1A2B_3C4D)
    }

    @Test("tshark reads back every link type, in pcap and pcapng, µs and ns", .enabled(if: ExternalTool.isInstalled("/usr/bin/tshark")))
    func tsharkReadsFiles() throws {
        let links: [LinkType] = [.ethernet, .linuxSLL, .linuxSLL2, .raw, .null, .ipv4, .ipv6]
        for link in links {
            for (format, nanosecond) in [("pcap", false), ("pcap", true), ("pcapng", false), ("pcapng", true)] {
                let (from, to) = link == .ipv6 ? (alice6, bob6) : (alice, bob)
                let tags: [UInt16] = link == .ethernet ? [7, 8] : []
                let frames = [
                    FrameBuilder.udp(from: from, to: to, payload: Array("hello".utf8), link: link, vlanTags: tags),
                    FrameBuilder.tcp(from: to, to: from, sequence: 1, payload: Array("world".utf8), link: link, vlanTags: tags),
                ]
                let path = ExternalTool.temporaryPath(format)
                defer { unlink(path) }
                if format == "pcap" {
                    var writer = PcapWriter(linkType: link, nanosecond: nanosecond)
                    for (i, frame) in frames.enumerated() { writer.add(frame: frame, timeNanos: 1_000_000_000_500_000_123 + Int64(i)) }
                    try writer.write(to: path)
                } else {
                    var writer = PcapNGWriter(linkType: link, nanosecond: nanosecond)
                    for (i, frame) in frames.enumerated() { writer.add(frame: frame, timeNanos: 1_000_000_000_500_000_123 + Int64(i)) }
                    try writer.write(to: path)
                }
                let output = try #require(ExternalTool.run("/usr/bin/tshark", [
                    "-r", path, "-n", "-T", "fields", "-E", "separator=,",
                    "-e", "frame.time_epoch", "-e", "udp.srcport", "-e", "tcp.srcport", "-e", "data.data",
                ]), "tshark failed on \(link) \(format)")
                let lines = output.split(separator: "\n").map(String.init)
                let fraction = nanosecond ? "500000123" : "500000"
                #expect(lines.count == 2, "\(link) \(format): \(output)")
                #expect(lines.first?.hasPrefix("1000000000.\(fraction)") == true, "\(link) \(format) ns=\(nanosecond): \(output)")
                #expect(lines.first?.hasSuffix(",40000,,68656c6c6f") == true, "\(link) \(format): \(output)")
                #expect(lines.last?.hasSuffix(",,40002,776f726c64") == true, "\(link) \(format): \(output)")
            }
        }
    }

    @Test("Writing to an impossible path reports the path and the reason")
    func writeFailure() {
        #expect(throws: PcapWriteError.self) { try PcapWriter(linkType: .ethernet).write(to: "/nonexistent-dir/x.pcap") }
        let error = PcapWriteError.cannotOpen(path: "/x/y.pcap", errno: ENOENT)
        #expect(error.description.contains("/x/y.pcap") && error.description.contains("No such file"))
    }
}
