#if canImport(Glibc)
import Glibc
#endif
import CPcap
import Synchronization
import Wire

/// How a live capture is opened.
public struct PcapSettings: Sendable {
    /// The interface to capture on ("lo", "eth0", "any").
    public var interface: String = "lo"
    /// Kernel ring size. With TPACKET_V3 the ring absorbs bursts while the capture thread is busy.
    public var bufferBytes: Int = 64 << 20
    /// Bytes kept per packet: RTP fits (SIP is not captured by this source in active mode).
    public var snaplen: Int32 = 2048
    /// How long the kernel holds a partly filled ring block before handing it over (TPACKET_V3 block
    /// retire timeout): the worst-case extra latency at low packet rates.
    public var timeoutMillis: Int32 = 10
    /// BPF filter (see `PcapPacketSource.rtpFilter`); "" captures all traffic on the interface.
    public var filter: String
    /// Promiscuous mode: needed for passive capture from a mirror (SPAN) port, not for active recording.
    public var promiscuous: Bool = false
    /// Upper bound on packets handled by one `poll` (or `drain`), so a flood cannot keep the capture
    /// thread from releasing audio; what is left is picked up by the next call at once.
    public var maximumPacketsPerPoll: Int = 65_536

    public init(interface: String = "lo", bufferBytes: Int = 64 << 20, snaplen: Int32 = 2048, timeoutMillis: Int32 = 10,
                filter: String, promiscuous: Bool = false, maximumPacketsPerPoll: Int = 65_536) {
        self.interface = interface
        self.bufferBytes = bufferBytes
        self.snaplen = snaplen
        self.timeoutMillis = timeoutMillis
        self.filter = filter
        self.promiscuous = promiscuous
        self.maximumPacketsPerPoll = maximumPacketsPerPoll
    }
}

/// Counters of a live capture. Kernel figures are 64-bit totals since the source opened (libpcap's
/// are 32-bit and wrap); own figures count what the capture thread did with each packet.
public struct PcapStatistics: Sendable, Equatable {
    /// Packets that passed the kernel filter (pcap_stats ps_recv).
    public var received: UInt64
    /// Packets the kernel dropped because the ring was full (ps_drop).
    public var droppedByKernel: UInt64
    /// Packets the interface or driver dropped (ps_ifdrop; only filled in promiscuous mode on Linux).
    public var droppedByInterface: UInt64
    /// UDP datagrams handed to `deliver`.
    public var delivered: UInt64
    /// Packets that were not UDP: TCP, another transport, or not IP at all (what the filter let through).
    public var nonUDP: UInt64
    /// IP fragments, skipped (RTP is never fragmented in practice; reassembly is not done here).
    public var fragments: UInt64
    /// Packets the decoder could not read, or whose UDP payload was cut by the snaplen.
    public var undecodable: UInt64
    /// pcap_dispatch or poll failures.
    public var readErrors: UInt64
}

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
/// gives exactly N delivered and 0 kernel drops (Tests/CaptureTests, BENCHMARKS.md §3). A packet can
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

    private let handle: PcapHandle
    private let linkType: LinkType
    private let selectableDescriptor: Int32
    /// 1 when the kernel gives nanosecond timestamps, 1000 when only microseconds.
    private let timestampScale: Int64
    private var sockets: [RTPSocket] = []
    private var clock = WallClockConverter()
    private var lastStatisticsRefresh: Int64 = 0
    private var kernelCounters = KernelCounters()
    private let staging: UnsafeMutablePointer<Staging>

    // Published for other threads; single writer (the capture thread), relaxed.
    private let receivedCount = Atomic<UInt64>(0)
    private let kernelDropCount = Atomic<UInt64>(0)
    private let interfaceDropCount = Atomic<UInt64>(0)
    private let deliveredCount = Atomic<UInt64>(0)
    private let nonUDPCount = Atomic<UInt64>(0)
    private let fragmentCount = Atomic<UInt64>(0)
    private let undecodableCount = Atomic<UInt64>(0)
    private let readErrorCount = Atomic<UInt64>(0)
    private let lastErrorText = Mutex<String?>(nil)

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
        poll(timeoutMillis: timeoutMillis) { _, _, _ in }
    }

    /// Copying polling (tests, benchmarks): payloads are copied out of the ring first, then delivered.
    public func poll(timeoutMillis: Int32, deliver: (EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        var descriptor = pollfd(fd: selectableDescriptor, events: Int16(POLLIN), revents: 0)
        let ready = Glibc.poll(&descriptor, 1, timeoutMillis)
        if ready < 0 && errno != EINTR {
            recordError("poll: \(String(cString: strerror(errno)))", pause: timeoutMillis)
            return
        }
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
    public func drain(_ socket: RTPSocket, deliver: (EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        dispatchReady(deliver: deliver)
    }

    // MARK: Statistics

    /// Counters for /metrics; callable from any thread. Kernel figures are refreshed by the capture
    /// thread at most once a second (exactly by `refreshStatistics()`).
    public func statistics() -> PcapStatistics {
        PcapStatistics(
            received: receivedCount.load(ordering: .relaxed),
            droppedByKernel: kernelDropCount.load(ordering: .relaxed),
            droppedByInterface: interfaceDropCount.load(ordering: .relaxed),
            delivered: deliveredCount.load(ordering: .relaxed),
            nonUDP: nonUDPCount.load(ordering: .relaxed),
            fragments: fragmentCount.load(ordering: .relaxed),
            undecodable: undecodableCount.load(ordering: .relaxed),
            readErrors: readErrorCount.load(ordering: .relaxed))
    }

    /// The last read error, if any (any thread).
    public var lastError: String? { lastErrorText.withLock { $0 } }

    /// Reads pcap_stats now. Capture thread only (libpcap handles are single-threaded).
    public func refreshStatistics() {
        guard let pointer = handle.pointer else { return }
        var stats = pcap_stat()
        guard pcap_stats(pointer, &stats) == 0 else { return }
        kernelCounters.update(stats)
        receivedCount.store(kernelCounters.received, ordering: .relaxed)
        kernelDropCount.store(kernelCounters.dropped, ordering: .relaxed)
        interfaceDropCount.store(kernelCounters.interfaceDropped, ordering: .relaxed)
    }

    /// Closes the capture (the ring and the packet socket); the source delivers nothing afterwards.
    public func close() {
        if handle.pointer != nil { refreshStatistics() }
        handle.close()
    }

    // MARK: Reading

    private func dispatchReady(deliver: (EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        guard let pointer = handle.pointer else { return }
        let now = monotonicNanos()
        if now - clock.refreshedAt >= 1_000_000_000 {
            clock.refresh()
        }
        if now - lastStatisticsRefresh >= 1_000_000_000 {
            lastStatisticsRefresh = now
            refreshStatistics()
        }
        let limit = settings.maximumPacketsPerPoll
        let staging = self.staging
        staging.pointee.offsetNanos = clock.offset
        var handled = 0
        while handled < limit {
            staging.pointee.count = 0
            staging.pointee.used = 0
            let batch = Int32(min(staging.pointee.capacity, limit - handled))
            let n = pcap_dispatch(pointer, batch, { user, header, bytes in
                PcapPacketSource.stage(user, header, bytes)
            }, UnsafeMutableRawPointer(staging).assumingMemoryBound(to: UInt8.self))
            // Deliver from the copies: the ring block may already be back with the kernel.
            let entries = staging.pointee.entries, arena = staging.pointee.arena
            for i in 0..<staging.pointee.count {
                let entry = entries[i]
                deliver(entry.destination, UnsafeRawBufferPointer(start: arena + entry.offset, count: entry.length), entry.arrival)
            }
            if n <= 0 {
                if n == PCAP_ERROR { recordError(handle.lastError, pause: 0) }
                break
            }
            handled += Int(n)
        }
        publish()
    }

    /// The pcap_handler: decode, filter, convert the time, and copy the UDP payload into the staging
    /// arena. Allocates nothing.
    private static func stage(_ user: UnsafeMutablePointer<UInt8>?, _ header: UnsafePointer<pcap_pkthdr>?, _ bytes: UnsafePointer<UInt8>?) {
        guard let user, let header, let bytes else { return }
        let staging = UnsafeMutableRawPointer(user).assumingMemoryBound(to: Staging.self)
        let captured = Int(header.pointee.caplen)
        let frame = UnsafeRawBufferPointer(start: bytes, count: captured)
        switch PacketDecoder.decode(frame, linkType: staging.pointee.linkType) {
        case .failure(.notIP), .failure(.unsupportedTransport):
            staging.pointee.nonUDP &+= 1
        case .failure:
            staging.pointee.undecodable &+= 1
        case .success(let packet):
            guard packet.transport == .udp else {
                staging.pointee.nonUDP &+= 1
                return
            }
            guard !packet.isFragment else {
                staging.pointee.fragments &+= 1
                return
            }
            let length = packet.payloadLength
            guard packet.payloadOffset >= 0, length >= 0, packet.payloadOffset + length <= captured,
                  staging.pointee.count < staging.pointee.capacity,
                  staging.pointee.used + length <= staging.pointee.arenaBytes else {
                staging.pointee.undecodable &+= 1   // cut by the snaplen (the arena holds capacity × snaplen)
                return
            }
            let ts = header.pointee.ts
            let wall = Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_usec) &* staging.pointee.timestampScale
            if let sink = staging.pointee.sink {
                // Zero-copy: the reassembler reads the payload where libpcap put it, inside the callback,
                // while the ring block is still ours.
                staging.pointee.delivered &+= 1
                sink.deliver(packet.destination, UnsafeRawBufferPointer(start: bytes + packet.payloadOffset, count: length),
                             wall &- staging.pointee.offsetNanos)
                return
            }
            let offset = staging.pointee.used
            (staging.pointee.arena + offset).copyMemory(from: bytes + packet.payloadOffset, byteCount: length)
            staging.pointee.entries[staging.pointee.count] = StagedPacket(
                destination: packet.destination, offset: offset, length: length, arrival: wall &- staging.pointee.offsetNanos)
            staging.pointee.count += 1
            staging.pointee.used = offset + (length + 15) & ~15
            staging.pointee.delivered &+= 1
        }
    }

    /// Adds the staging counters to the published ones (single writer) and clears them.
    private func publish() {
        @inline(__always) func add(_ counter: borrowing Atomic<UInt64>, _ n: inout UInt64) {
            if n != 0 { counter.store(counter.load(ordering: .relaxed) &+ n, ordering: .relaxed) }
            n = 0
        }
        add(deliveredCount, &staging.pointee.delivered)
        add(nonUDPCount, &staging.pointee.nonUDP)
        add(fragmentCount, &staging.pointee.fragments)
        add(undecodableCount, &staging.pointee.undecodable)
    }

    private func recordError(_ message: String?, pause: Int32) {
        readErrorCount.store(readErrorCount.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        if let message { lastErrorText.withLock { $0 = message } }
        if pause > 0 {
            // Do not spin on a broken handle.
            var interval = timespec(tv_sec: Int(pause / 1000), tv_nsec: Int(pause % 1000) * 1_000_000)
            nanosleep(&interval, nil)
        }
    }

    private static func failure(_ message: String) -> CaptureError {
        CaptureError(code: .socket, message: message)
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// pcap_statustostr, plus pcap_geterr's detail for the codes that set it.
    private static func statusText(_ status: Int32, _ handle: PcapHandle) -> String {
        let summary = pcap_statustostr(status).map { String(cString: $0) } ?? "status \(status)"
        let detail = handle.lastError
        return detail.isEmpty ? summary : "\(summary): \(detail)"
    }
}

/// One datagram copied out of the ring by the pcap callback, delivered after pcap_dispatch returns.
private struct StagedPacket {
    var destination: EndpointKey
    var offset: Int
    var length: Int
    var arrival: Int64
}

/// What the C callback works with, passed through pcap_dispatch's `user` pointer. Allocated once per
/// source. Why copy: the deliver closure is non-escaping, and handing it to C needs
/// `withoutActuallyEscaping`, which allocates a box on every call (measured: 1 allocation per poll);
/// and a payload cannot be delivered after pcap_dispatch returns without a copy, because libpcap hands
/// a TPACKET_V3 block back to the kernel as soon as its last packet was processed. Copying an RTP
/// payload (~172 bytes) into this arena costs a few ns per packet and allocates nothing.
private struct Staging {
    let entries: UnsafeMutablePointer<StagedPacket>
    let arena: UnsafeMutableRawPointer
    /// Packets per pcap_dispatch call.
    let capacity: Int
    let arenaBytes: Int
    let linkType: LinkType
    let timestampScale: Int64
    var offsetNanos: Int64 = 0
    var count = 0
    var used = 0
    var delivered: UInt64 = 0
    var nonUDP: UInt64 = 0
    var fragments: UInt64 = 0
    var undecodable: UInt64 = 0
    /// Zero-copy mode: packets go straight from the ring to this sink inside the pcap callback.
    /// Set only for the duration of one `poll(timeoutMillis:sink:)`.
    unowned(unsafe) var sink: (any PacketSink)?
}

/// Wall-clock (CLOCK_REALTIME) time stamps to the monotonic clock: monotonic = wall − offset.
struct WallClockConverter {
    /// CLOCK_REALTIME − CLOCK_MONOTONIC, nanoseconds.
    private(set) var offset: Int64 = 0
    /// Monotonic time of the last refresh.
    private(set) var refreshedAt: Int64 = 0

    /// Measures the offset, reading the wall clock between two monotonic readings; keeps the closest
    /// of three tries, so a preemption between readings does not skew it.
    mutating func refresh() {
        var best = Int64.max
        for _ in 0..<3 {
            let before = monotonicNanos()
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            let after = monotonicNanos()
            let wall = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
            if after - before < best {
                best = after - before
                offset = wall - (before + (after - before) / 2)
                refreshedAt = after
            }
        }
    }

    @inline(__always)
    func monotonic(wallNanos: Int64) -> Int64 { wallNanos &- offset }
}

/// 64-bit totals from libpcap's 32-bit counters, which wrap (read at least once per wrap).
private struct KernelCounters {
    private var last = (received: UInt32(0), dropped: UInt32(0), interfaceDropped: UInt32(0))
    private(set) var received: UInt64 = 0
    private(set) var dropped: UInt64 = 0
    private(set) var interfaceDropped: UInt64 = 0

    mutating func update(_ stats: pcap_stat) {
        received &+= UInt64(UInt32(truncatingIfNeeded: stats.ps_recv) &- last.received)
        dropped &+= UInt64(UInt32(truncatingIfNeeded: stats.ps_drop) &- last.dropped)
        interfaceDropped &+= UInt64(UInt32(truncatingIfNeeded: stats.ps_ifdrop) &- last.interfaceDropped)
        last = (UInt32(truncatingIfNeeded: stats.ps_recv), UInt32(truncatingIfNeeded: stats.ps_drop), UInt32(truncatingIfNeeded: stats.ps_ifdrop))
    }
}
