import SystemLayer
import Testing
@testable import Capture
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// Live capture needs CAP_NET_RAW; these tests run on `lo` as root and are skipped otherwise.
private let canCaptureLive = CaptureCapabilities.canCapture().0

@Suite("PcapPacketSource: live capture on lo", .serialized)
struct PcapPacketSourceTests {
    static let payloadSize = 172   // an RTP header + 20 ms of G.711

    @Test("10,000 datagrams sent to lo are delivered exactly once, intact, with 0 kernel drops",
          .enabled(if: canCaptureLive, "skipped: live capture needs root or CAP_NET_RAW (\(CaptureCapabilities.canCapture().reason))"))
    func deliversEveryDatagramOnce() throws {
        let count = 10_000
        let ports = try PortBlock(count: 8)
        let source = try PcapPacketSource(settings: PcapSettings(filter: PcapPacketSource.rtpFilter(ports: ports.range, sipPort: nil)))
        defer { source.close() }
        for socket in ports.sockets { source.add(socket) }
        #expect(!source.compiledFilter.contains("inbound"))

        let sentFrom = monotonicNanos()
        try sendDatagrams(count: count, ports: ports.numbers)
        let sentUntil = monotonicNanos()

        var seen = [Bool](repeating: false, count: count)
        var delivered = 0, duplicates = 0, wrongPort = 0, wrongBytes = 0, wrongAddress = 0, wrongSender = 0
        var earliest = Int64.max, latest = Int64.min
        let deadline = monotonicNanos() + 10_000_000_000
        while delivered < count && monotonicNanos() < deadline {
            source.poll(timeoutMillis: 20) { destination, sender, payload, arrival in
                delivered += 1
                if sender.port == 0 || sender != EndpointKey(address: "127.0.0.1", port: Int(sender.port)) { wrongSender += 1 }
                earliest = min(earliest, arrival)
                latest = max(latest, arrival)
                guard let sequence = Self.check(payload) else { wrongBytes += 1; return }
                if seen[sequence] { duplicates += 1 }
                seen[sequence] = true
                if Int(destination.port) != ports.numbers[sequence % ports.numbers.count] { wrongPort += 1 }
                if destination != EndpointKey(address: "127.0.0.1", port: Int(destination.port)) { wrongAddress += 1 }
            }
        }
        // Anything late or doubled would show up in one more poll.
        source.poll(timeoutMillis: 50) { _, _, _, _ in delivered += 1 }
        source.refreshStatistics()
        let stats = source.statistics()

        #expect(delivered == count)
        #expect(duplicates == 0)
        #expect(seen.allSatisfy { $0 })
        #expect(wrongPort == 0)
        #expect(wrongAddress == 0)
        #expect(wrongSender == 0)
        #expect(wrongBytes == 0)
        #expect(stats.delivered == UInt64(count))
        #expect(stats.droppedByKernel == 0)
        // The kernel counts lo's outgoing copy as well; libpcap drops it in user space (PCAP_D_IN).
        #expect(stats.received == UInt64(2 * count))
        #expect(stats.nonUDP == 0 && stats.fragments == 0 && stats.undecodable == 0 && stats.readErrors == 0)
        // Arrival times are on the monotonic clock, within the sending window.
        #expect(earliest >= sentFrom - 2_000_000)
        #expect(latest <= sentUntil + 2_000_000)
    }

    @Test("The filter excludes ports outside the range",
          .enabled(if: canCaptureLive, "skipped: live capture needs root or CAP_NET_RAW"))
    func filterExcludesOtherPorts() throws {
        let inside = try PortBlock(count: 2)
        let outside = try PortBlock(count: 2)
        let source = try PcapPacketSource(settings: PcapSettings(filter: PcapPacketSource.rtpFilter(ports: inside.range, sipPort: nil)))
        defer { source.close() }

        try sendDatagrams(count: 500, ports: outside.numbers)
        try sendDatagrams(count: 300, ports: inside.numbers)
        try sendDatagrams(count: 500, ports: outside.numbers)

        var delivered = 0, foreign = 0
        let deadline = monotonicNanos() + 5_000_000_000
        while delivered < 300 && monotonicNanos() < deadline {
            source.poll(timeoutMillis: 20) { destination, _, _, _ in
                delivered += 1
                if !inside.range.contains(Int(destination.port)) { foreign += 1 }
            }
        }
        source.poll(timeoutMillis: 50) { _, _, _, _ in delivered += 1 }
        source.refreshStatistics()
        #expect(delivered == 300)
        #expect(foreign == 0)
        #expect(source.statistics().received == 600)   // both copies on lo
    }

    @Test("Kernel time stamps convert to the monotonic clock within a few ms")
    func wallClockConversion() {
        var converter = WallClockConverter()
        converter.refresh()
        for _ in 0..<5 {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            let now = monotonicNanos()
            // Through the offset itself: `arrival` would fall back to `now` and hide a wrong offset.
            let converted = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec) - converter.offset
            #expect(abs(converted - now) < 2_000_000, "converted \(converted) vs monotonic \(now)")
        }
    }

    @Test("The RTP filter expression, with and without SIP")
    func filterText() {
        let udp = "udp and dst portrange 20000-29999"
        let rtp = "(\(udp)) or (vlan and \(udp)) or (vlan and vlan and \(udp))"
        #expect(PcapPacketSource.rtpFilter(ports: 20000...29999, sipPort: nil) == rtp)
        #expect(PcapPacketSource.rtpFilter(ports: 20000...29999, sipPort: 5060) == "\(rtp) or port 5060")
    }

    @Test("An unknown interface and a bad filter fail with libpcap's reason",
          .enabled(if: canCaptureLive, "skipped: live capture needs root or CAP_NET_RAW"))
    func openFailures() {
        #expect(throws: CaptureError.self) { try PcapPacketSource(settings: PcapSettings(interface: "nosuchif0", filter: "udp")) }
        do {
            _ = try PcapPacketSource(settings: PcapSettings(filter: "udp and port banana"))
            Issue.record("a bad filter was accepted")
        } catch {
            #expect(error.message.contains("bad filter"))
        }
    }

    @Test("CapEff parsing and the capability check")
    func capabilities() {
        #expect(CaptureCapabilities.parseMask("\t000001ffffffffff") == 0x1ff_ffff_ffff)
        #expect(CaptureCapabilities.parseMask("\t0000000000002000")! & (1 << 13) != 0)
        #expect(CaptureCapabilities.parseMask("  ") == nil)
        #expect(CaptureCapabilities.effectiveCapabilities() != nil)
        let (ok, reason) = CaptureCapabilities.canCapture()
        #expect(!reason.isEmpty)
        if geteuid() == 0, let mask = CaptureCapabilities.effectiveCapabilities(), mask & (1 << 13) != 0 { #expect(ok) }
    }

    // MARK: Helpers

    /// Payload: a 4-byte big-endian sequence number, then bytes derived from it.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer, sequence: Int) {
        buffer.storeBytes(of: UInt32(sequence).bigEndian, as: UInt32.self)
        for i in 4..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: sequence &* 31 &+ i) }
    }

    /// The sequence number when the payload is intact, nil otherwise.
    static func check(_ payload: UnsafeRawBufferPointer) -> Int? {
        guard payload.count == payloadSize else { return nil }
        let sequence = Int(UInt32(bigEndian: payload.loadUnaligned(as: UInt32.self)))
        guard sequence < 1_000_000 else { return nil }
        for i in 4..<payload.count where payload[i] != UInt8(truncatingIfNeeded: sequence &* 31 &+ i) { return nil }
        return sequence
    }

    /// Sends `count` datagrams round-robin to 127.0.0.1 on `ports`, sequence numbers 0..<count.
    func sendDatagrams(count: Int, ports: [Int]) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.payloadSize, alignment: 8)
        defer { buffer.deallocate() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        for sequence in 0..<count {
            Self.fill(buffer, sequence: sequence)
            address.sin_port = in_port_t(UInt16(ports[sequence % ports.count]).bigEndian)
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(sent == Self.payloadSize, "sendto failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Consecutive even UDP ports on 127.0.0.1, bound as the product binds them in pcap mode: smallest
/// receive buffer, never read (so the kernel sends no ICMP port unreachable).
struct PortBlock {
    let sockets: [RTPSocket]
    var numbers: [Int] { sockets.map(\.port) }
    var range: ClosedRange<Int> { sockets.first!.port...sockets.last!.port }

    init(count: Int) throws {
        var seed = UInt64(getpid()) &* 0x9E37_79B9 &+ UInt64(monotonicNanos())
        for _ in 0..<50 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let base = 40_000 + Int((seed >> 33) % 10_000) * 2
            var opened: [RTPSocket] = []
            for i in 0..<count {
                guard let socket = try? RTPSocket(host: "127.0.0.1", port: base + 2 * i, receiveBuffer: 1) else { break }
                opened.append(socket)
            }
            if opened.count == count {
                sockets = opened
                return
            }
        }
        throw CaptureError(code: .exhausted, message: "no free block of \(count) UDP ports")
    }
}
