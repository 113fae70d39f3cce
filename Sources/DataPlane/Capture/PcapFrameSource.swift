import CPcap
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// Whole captured frames from a live interface, for following SIP on a mirror port (passive mode).
/// Signalling rates are low, so frames are copied out (this is not the RTP fast path) and libpcap runs
/// in immediate mode so a BYE is seen at once.
public final class PcapFrameSource {
    private let handle: PcapHandle
    public let linkType: LinkType
    public let filter: String

    /// A frame and its capture time (Unix nanoseconds).
    public struct Frame: Sendable {
        public var nanos: Int64
        public var bytes: [UInt8]
    }

    /// Opens `interface` with `filter`, incoming packets only (on `lo` every packet is seen twice).
    public init(interface: String, filter: String, promiscuous: Bool) throws(CaptureError) {
        var errors = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let raw = pcap_create(interface, &errors) else {
            throw CaptureError(code: .socket, message: "pcap_create(\(interface)): \(PcapFrameSource.text(errors))")
        }
        handle = PcapHandle(raw)
        pcap_set_snaplen(raw, 65_535)
        pcap_set_immediate_mode(raw, 1)
        pcap_set_buffer_size(raw, 4 << 20)
        pcap_set_promisc(raw, promiscuous ? 1 : 0)
        _ = pcap_set_tstamp_precision(raw, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(raw)
        guard status >= 0 else {
            throw CaptureError(code: .socket, message: "cannot capture SIP on \(interface): \(String(cString: pcap_statustostr(status))) \(String(cString: pcap_geterr(raw)))")
        }
        var program = bpf_program()
        guard pcap_compile(raw, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw CaptureError(code: .socket, message: "bad SIP capture filter '\(filter)': \(String(cString: pcap_geterr(raw)))")
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(raw, &program) == 0 else {
            throw CaptureError(code: .socket, message: "cannot set filter: \(String(cString: pcap_geterr(raw)))")
        }
        _ = pcap_setdirection(raw, PCAP_D_IN)
        _ = pcap_setnonblock(raw, 1, &errors)
        let datalink = pcap_datalink(raw)
        guard let linkType = LinkType(rawValue: datalink) else {
            throw CaptureError(code: .socket, message: "link type \(datalink) on \(interface) is not supported")
        }
        self.linkType = linkType
        self.filter = filter
    }

    /// Waits up to `timeoutMillis` and returns the frames that arrived.
    public func poll(timeoutMillis: Int32) -> [Frame] {
        guard let raw = handle.pointer else { return [] }
        let fd = pcap_get_selectable_fd(raw)
        if fd >= 0 {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = Glibc.poll(&descriptor, 1, timeoutMillis)
        }
        final class Collector { var frames: [Frame] = [] }
        let collector = Collector()
        let user = Unmanaged.passUnretained(collector).toOpaque()
        _ = pcap_dispatch(raw, -1, { user, header, bytes in
            guard let user, let header, let bytes else { return }
            let h = header.pointee
            let frame = Frame(nanos: Int64(h.ts.tv_sec) * 1_000_000_000 + Int64(h.ts.tv_usec),
                              bytes: Array(UnsafeBufferPointer(start: bytes, count: Int(h.caplen))))
            Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue().frames.append(frame)
        }, user.assumingMemoryBound(to: UInt8.self))
        return withExtendedLifetime(collector) { collector.frames }
    }

    /// The filter for SIP on these ports over UDP and TCP, and every IPv4 fragment (large INVITEs).
    public static func sipFilter(ports: [Int]) -> String {
        let list = Set(ports).sorted().map { "port \($0)" }.joined(separator: " or ")
        let sip = "((udp or tcp) and (\(list))) or (ip and (ip[6:2] & 0x3fff) != 0)"
        return "\(sip) or (vlan and (\(sip))) or (vlan and vlan and (\(sip)))"
    }

    static func text(_ errors: [CChar]) -> String {
        String(decoding: errors.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
