import CPcap
import Wire

/// Reads a capture file (pcap or pcapng, any timestamp precision) record by record through libpcap,
/// with nanosecond timestamps. The one owner of its `pcap_t`.
public final class PcapFileReader {
    private let handle: OpaquePointer
    /// The file's link type (DLT number); nil when siprecd cannot decode it.
    public let linkType: LinkType?
    public let rawLinkType: Int32
    public let path: String

    public init(path: String) throws(CaptureError) {
        self.path = path
        var errors = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let opened = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errors) else {
            throw CaptureError(code: .socket, message: "cannot read capture \(path): \(String(decoding: errors.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        handle = opened
        rawLinkType = pcap_datalink(opened)
        linkType = LinkType(rawValue: rawLinkType)
    }

    deinit { pcap_close(handle) }

    /// Calls `body` with the next record's time (Unix nanoseconds) and bytes (valid during the call).
    /// Returns false at the end of the file; throws when the file is damaged.
    public func next(_ body: (Int64, UnsafeRawBufferPointer) -> Void) throws(CaptureError) -> Bool {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let result = pcap_next_ex(handle, &header, &data)
        switch result {
        case 1:
            guard let header, let data else { return true }
            let h = header.pointee
            // A damaged file may carry any 64-bit time: never trap on it.
            let nanos = Int64(h.ts.tv_sec) &* 1_000_000_000 &+ Int64(h.ts.tv_usec)
            body(nanos, UnsafeRawBufferPointer(start: data, count: Int(h.caplen)))
            return true
        case PCAP_ERROR_BREAK:
            return false
        default:
            throw CaptureError(code: .socket, message: "damaged capture \(path): \(String(cString: pcap_geterr(handle)))")
        }
    }
}
