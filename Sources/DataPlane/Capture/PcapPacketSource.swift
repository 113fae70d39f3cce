#if canImport(Glibc)
import Glibc
#endif
import CPcap
import SystemLayer
import Synchronization
import Wire

/// Reads RTP with libpcap from a live interface: one kernel ring (TPACKET_V3) for all streams instead
/// of one receive system call per datagram.
///
/// **Sockets and ICMP.** In pcap mode the RTP ports are still opened and bound by the control plane,
/// and `add` keeps them open, but this source never reads them. A bound socket makes the kernel queue
/// each datagram to it instead of answering ICMP port unreachable (which would make the sender stop or
/// its firewall log errors). Give those sockets the smallest receive buffer
/// (`RTPSocket(host:port:receiveBuffer: 1)`, which the kernel rounds up to its SO_RCVBUF minimum of a
/// few KB): once it is full the kernel drops further datagrams into it cheaply (counted in
/// /proc/net/snmp Udp RcvbufErrors), and user space never spends a system call on them. `remove`
/// closes the socket.
///
/// **Each datagram once on `lo`.** A packet socket on the loopback interface sees every packet twice:
/// leaving (PACKET_OUTGOING) and arriving (PACKET_HOST). libpcap 1.10 discards the outgoing copy on `lo`
/// in user space, and `pcap_setdirection(PCAP_D_IN)` (set here) discards outgoing packets on every
/// interface the same way, so `deliver` sees each datagram once; pcap_stats `received` counts both
/// copies on `lo` (2 × delivered), and on a real interface inbound RTP has no outgoing copy at all.
/// The filter deliberately does *not* use the BPF `inbound` keyword, although that would keep the
/// outgoing copy out of the ring: after `pcap_setfilter` libpcap re-checks the first ring block in
/// user space (packets that may predate the new kernel filter), and user-space BPF cannot evaluate
/// `inbound` (a Linux packet-type load), so every packet of that first block is silently rejected even
/// though pcap_stats counts it as received with 0 drops. Measured: 1 of 1, 107 of 300 and 283 of 2,000
/// datagrams lost that way (very likely the "0.2–0.5 %" in BUILD-NOTES); with PCAP_D_IN and a plain filter N sent
/// gives exactly N delivered and 0 kernel drops (Tests/DataPlane/CaptureTests, BENCHMARKS.md §3). A packet can
/// still be lost before the tap if a sender overruns the per-CPU input backlog (netdev_max_backlog,
/// /proc/net/softnet_stat column 2); that loss hits sockets equally.
///
/// **Time.** The kernel stamps each packet with the wall clock (nanosecond precision is requested).
/// `poll` converts it to the monotonic clock the recordings run on with an offset (wall − monotonic)
/// measured at start and again at most once a second, so a wall-clock step moves arrival times for at
/// most a second.
///
/// Used by the capture thread only, like every `PacketSource`; `statistics()` may be called from any
/// thread.
public final class PcapPacketSource: PacketSource {
    public let settings: PcapSettings
    /// The filter installed in the kernel (the settings' filter as given).
    public let compiledFilter: String
    /// The link-layer type (DLT number) of the interface.
    public let datalink: Int32
    /// Warnings from pcap_activate (e.g. promiscuous mode not supported), for the daemon to log.
    public let warnings: [String]

    let handle: PcapHandle
    let linkType: LinkType
    let selectableDescriptor: Int32
    /// 1 when the kernel gives nanosecond timestamps, 1000 when only microseconds.
    let timestampScale: Int64
    var sockets: [RTPSocket] = []
    var clock = WallClockConverter()
    var lastStatisticsRefresh: Int64 = 0
    var kernelCounters = KernelCounters()
    let staging: UnsafeMutablePointer<Staging>

    // Published for other threads; single writer (the capture thread), relaxed.
    let receivedCount = Atomic<UInt64>(0)
    let kernelDropCount = Atomic<UInt64>(0)
    let interfaceDropCount = Atomic<UInt64>(0)
    let deliveredCount = Atomic<UInt64>(0)
    let nonUDPCount = Atomic<UInt64>(0)
    let fragmentCount = Atomic<UInt64>(0)
    let undecodableCount = Atomic<UInt64>(0)
    let readErrorCount = Atomic<UInt64>(0)
    let lastErrorText = Mutex<String?>(nil)

    /// How late after its block time-out the kernel may retire a block (its timer runs on jiffies).
    static let retireSlackNanos: Int64 = 10_000_000

    /// The BPF filter for the RTP port range, and, for passive capture, SIP on its port as well.
    public static func rtpFilter(ports: ClosedRange<Int>, sipPort: Int?) -> String {
        // `vlan` shifts the offsets of what follows it, so tagged traffic (one or two tags, e.g. a trunk
        // mirror port) needs its own alternatives after the untagged one.
        let udp = "udp and dst portrange \(ports.lowerBound)-\(ports.upperBound)"
        let rtp = "(\(udp)) or (vlan and \(udp)) or (vlan and vlan and \(udp))"
        guard let sipPort else { return rtp }
        return "\(rtp) or port \(sipPort)"
    }

    /// Opens and activates a live capture. Requires CAP_NET_RAW (see `CaptureCapabilities`).
    public init(settings: PcapSettings) throws(CaptureError) {
        self.settings = settings
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let created = pcap_create(settings.interface, &errorBuffer) else {
            throw Self.failure("cannot open \(settings.interface) for capture: \(Self.text(errorBuffer))")
        }
        let handle = PcapHandle(created)   // closes it on every error path below
        self.handle = handle
        let place = "capture on \(settings.interface)"

        func check(_ status: Int32, _ what: String) throws(CaptureError) {
            if status != 0 { throw Self.failure("\(place): \(what) failed: \(Self.statusText(status, handle))") }
        }
        try check(pcap_set_snaplen(created, settings.snaplen), "pcap_set_snaplen(\(settings.snaplen))")
        try check(pcap_set_promisc(created, settings.promiscuous ? 1 : 0), "pcap_set_promisc")
        try check(pcap_set_buffer_size(created, Int32(clamping: settings.bufferBytes)), "pcap_set_buffer_size(\(settings.bufferBytes))")
        // Immediate mode off: TPACKET_V3 block ring, ~0.1 µs per packet (BUILD-NOTES "libpcap behaviour").
        try check(pcap_set_immediate_mode(created, 0), "pcap_set_immediate_mode(0)")
        try check(pcap_set_timeout(created, settings.timeoutMillis), "pcap_set_timeout(\(settings.timeoutMillis))")
        let nanoRequested = pcap_set_tstamp_precision(created, Int32(PCAP_TSTAMP_PRECISION_NANO)) == 0

        let status = pcap_activate(created)
        if status < 0 {
            let hint = status == PCAP_ERROR_PERM_DENIED || status == PCAP_ERROR_PROMISC_PERM_DENIED
                ? " (needs CAP_NET_RAW: \(CaptureCapabilities.canCapture().reason))" : ""
            throw Self.failure("\(place): pcap_activate failed: \(Self.statusText(status, handle))\(hint)")
        }
        var warnings = status > 0 ? ["\(place): \(Self.statusText(status, handle))"] : []
        // Outgoing packets are dropped by libpcap in user space (lo's outgoing copy is dropped anyway).
        if pcap_setdirection(created, PCAP_D_IN) != 0 {
            warnings.append("\(place): cannot capture inbound packets only: \(handle.lastError)")
        }
        self.warnings = warnings

        datalink = pcap_datalink(created)
        guard let linkType = LinkType(rawValue: datalink) else {
            let name = pcap_datalink_val_to_name(datalink).map { String(cString: $0) } ?? "unknown"
            throw Self.failure("\(place): unsupported link-layer type \(datalink) (\(name)); supported: Ethernet, Linux cooked (any), raw IP")
        }
        self.linkType = linkType

        // No `inbound` in the filter: see "Each datagram once on lo" above.
        let filter = settings.filter
        compiledFilter = filter
        var program = bpf_program()
        guard pcap_compile(created, &program, filter, 1, bpf_u_int32(PCAP_NETMASK_UNKNOWN)) == 0 else {
            throw Self.failure("\(place): bad filter \"\(settings.filter)\": \(handle.lastError)")
        }
        let installed = pcap_setfilter(created, &program)
        pcap_freecode(&program)
        guard installed == 0 else { throw Self.failure("\(place): cannot install the filter: \(handle.lastError)") }

        guard pcap_setnonblock(created, 1, &errorBuffer) == 0 else {
            throw Self.failure("\(place): pcap_setnonblock failed: \(Self.text(errorBuffer))")
        }
        selectableDescriptor = pcap_get_selectable_fd(created)
        guard selectableDescriptor >= 0 else { throw Self.failure("\(place): no selectable descriptor") }
        timestampScale = nanoRequested && pcap_get_tstamp_precision(created) == Int32(PCAP_TSTAMP_PRECISION_NANO) ? 1 : 1000

        // 256 packets per dispatch, each up to a snaplen: 512 KB at the default 2048.
        let capacity = 256
        let arenaBytes = capacity * Int(max(settings.snaplen, 64) + 15) & ~15
        staging = .allocate(capacity: 1)
        staging.initialize(to: Staging(entries: .allocate(capacity: capacity), arena: .allocate(byteCount: arenaBytes, alignment: 64),
                                       capacity: capacity, arenaBytes: arenaBytes, linkType: linkType, timestampScale: timestampScale))
        sockets.reserveCapacity(1024)
        clock.refresh()
        lastStatisticsRefresh = clock.refreshedAt
    }

    deinit {
        handle.close()
        staging.pointee.entries.deallocate()
        staging.pointee.arena.deallocate()
        staging.deinitialize(count: 1)
        staging.deallocate()
    }

    // MARK: PacketSource

    public var wakeDescriptor: Int32 = -1
    public internal(set) var completeThroughNanos: Int64 = 0

    /// Keeps the socket open and bound (so the kernel sends no ICMP port unreachable); never reads it.
    public func add(_ socket: RTPSocket) {
        sockets.append(socket)
    }

    /// Forgets and closes the socket.
    public func remove(_ socket: RTPSocket) {
        if let index = sockets.firstIndex(where: { $0 === socket }) {
            sockets.swapAt(index, sockets.count - 1)
            sockets.removeLast()
        }
        socket.close()
    }

    /// Waits up to `timeoutMillis` for a ring block, then delivers every UDP datagram that is ready
    /// (at most `maximumPacketsPerPoll`).
    /// Zero-copy polling: each UDP payload is handed to `sink` while it still lies in libpcap's ring
    /// block, so the reassembler decodes it from there into its stream's slot (the packet's one write).
    public func poll(timeoutMillis: Int32, sink: any PacketSink) {
        staging.pointee.sink = sink
        defer { staging.pointee.sink = nil }
        poll(timeoutMillis: timeoutMillis) { _, _, _, _ in }
    }

    /// Copying polling (tests, benchmarks): payloads are copied out of the ring first, then delivered.
    public func poll(timeoutMillis: Int32, deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        var descriptors = (pollfd(fd: selectableDescriptor, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0))
        let ready: Int
        do {
            let result: Result<Int, Errno> = withUnsafeMutablePointer(to: &descriptors) { pair in
                pair.withMemoryRebound(to: pollfd.self, capacity: 2) { fds in
                    Result { () throws(Errno) in try FileIO.poll(fds, count: 2, timeoutMillis: timeoutMillis) }
                }
            }
            ready = try result.get()
        } catch {
            recordError("poll: \(error)", pause: timeoutMillis)
            return
        }
        if descriptors.1.revents != 0 { drainWake(wakeDescriptor) }
        let descriptor = descriptors.0
        if ready > 0 && descriptor.revents & Int16(POLLERR | POLLNVAL) != 0 {
            // Interface gone or ring error: pcap_dispatch reports the reason.
            dispatchReady(deliver: deliver)
            recordError(nil, pause: timeoutMillis)
            return
        }
        // Dispatch even after a timeout: a block the kernel retired as the poll timed out is ready now.
        dispatchReady(deliver: deliver)
    }

    /// Delivers every datagram already in the ring, for all streams, without waiting. (A ring holds
    /// every port's traffic, so nothing is specific to `socket`; a datagram still inside a block the
    /// kernel has not retired, at most `timeoutMillis` old, is not reachable yet.)
    public func drain(_ socket: RTPSocket, deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        dispatchReady(deliver: deliver)
    }
}
