import Capture
import CMallocCounter
import Synchronization
import Wire
#if canImport(Glibc)
import Glibc
#endif

// MARK: 3. Capture: pcap vs socket
//
// One sender thread blasts 172-byte RTP-like datagrams with sendmmsg to 127.0.0.1 on `capturePorts`
// ports, round-robin, as fast as it can; the main thread is the capture thread. Both share the
// machine's cores, and on `lo` the kernel's whole receive path (including the packet tap and the
// copy into the pcap ring, or the socket queue) runs in the sender's system calls.

let capturePorts = 8
let captureSeconds = 3.0
let captureDatagramBytes = 172

/// What one capture run measured.
struct CaptureRun {
    var sent = 0
    var delivered = 0
    var sendNanos: Int64 = 0
    /// From the sender's start to the last delivery.
    var captureWallNanos: Int64 = 0
    var consumerCPUNanos: Int64 = 0
    var senderCPUNanos: Int64 = 0
    var allocations: UInt64 = 0
    var kernelReceived: UInt64 = 0
    var kernelDrops: UInt64 = 0
    var socketBufferDrops: Int = 0
    var backlogDrops: Int = 0
    var outOfOrder = 0
}

/// `struct mmsghdr` (Glibc's module map hides sendmmsg, a GNU extension): same layout as the C struct.
struct MultipleMessageHeader {
    var msg_hdr = msghdr()
    var msg_len: UInt32 = 0
}

typealias SendMultiple = @convention(c) (Int32, UnsafeMutableRawPointer?, UInt32, Int32) -> Int32

/// glibc's sendmmsg, looked up at run time.
func lookUpSendMultiple() -> SendMultiple {
    guard let symbol = dlsym(nil, "sendmmsg") else {   // nil = RTLD_DEFAULT on glibc
        fail("sendmmsg not found")
    }
    return unsafeBitCast(symbol, to: SendMultiple.self)
}

/// The sender thread's job, shared through an unmanaged pointer.
final class BlastJob: @unchecked Sendable {
    // @unchecked: fields other than the atomics are written before the thread starts and read after it ends.
    let ports: [Int]
    let limit: Int
    /// Sender number: the SSRC is index × ports + port index, so each sender's streams are distinct.
    let index: Int
    let stop = Atomic<Bool>(false)
    let started = Atomic<Bool>(false)
    var sent = 0
    var cpuNanos: Int64 = 0
    var wallNanos: Int64 = 0

    init(ports: [Int], limit: Int, index: Int) {
        self.ports = ports
        self.limit = limit
        self.index = index
    }

    /// sendmmsg in batches of 64 from one unconnected socket; every buffer is built before the loop.
    func run() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var sendBuffer: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
        let batch = 64
        let payloads = UnsafeMutableRawBufferPointer.allocate(byteCount: batch * captureDatagramBytes, alignment: 16)
        let addresses = UnsafeMutablePointer<sockaddr_in>.allocate(capacity: ports.count)
        let vectors = UnsafeMutablePointer<iovec>.allocate(capacity: batch)
        let messages = UnsafeMutablePointer<MultipleMessageHeader>.allocate(capacity: batch)
        defer { payloads.deallocate(); addresses.deallocate(); vectors.deallocate(); messages.deallocate() }
        payloads.initializeMemory(as: UInt8.self, repeating: 0xD5)   // µ-law silence
        for (i, port) in ports.enumerated() {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            addresses[i] = address
        }
        for i in 0..<batch {
            let base = payloads.baseAddress! + i * captureDatagramBytes
            base.storeBytes(of: 0x80, as: UInt8.self)          // RTP v2
            (base + 1).storeBytes(of: 0, as: UInt8.self)       // PCMU
            vectors[i] = iovec(iov_base: base, iov_len: captureDatagramBytes)
            messages[i] = MultipleMessageHeader()
            messages[i].msg_hdr.msg_iov = vectors + i
            messages[i].msg_hdr.msg_iovlen = 1
            messages[i].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        precondition(MemoryLayout<MultipleMessageHeader>.stride == 64, "struct mmsghdr layout")
        let sendmmsg = lookUpSendMultiple()
        var sequence = 0
        let cpuStart = Measure.nanos(CLOCK_THREAD_CPUTIME_ID)
        let wallStart = Measure.wall()
        started.store(true, ordering: .releasing)
        while !stop.load(ordering: .relaxed) && sequence < limit {
            let count = min(batch, limit - sequence)
            for i in 0..<count {
                let n = sequence + i
                messages[i].msg_hdr.msg_name = UnsafeMutableRawPointer(addresses + n % ports.count)
                let base = payloads.baseAddress! + i * captureDatagramBytes
                (base + 2).storeBytes(of: UInt16(truncatingIfNeeded: n / ports.count).bigEndian, as: UInt16.self)
                (base + 8).storeBytes(of: UInt32(index * ports.count + n % ports.count).bigEndian, as: UInt32.self)
            }
            let sentNow = sendmmsg(fd, UnsafeMutableRawPointer(messages), UInt32(count), 0)
            if sentNow > 0 { sequence += Int(sentNow) } else if errno != EINTR && errno != ENOBUFS && errno != EAGAIN { break }
        }
        wallNanos = Measure.wall() - wallStart
        cpuNanos = Measure.nanos(CLOCK_THREAD_CPUTIME_ID) - cpuStart
        sent = sequence
    }
}

/// Runs `job` on a new thread; returns the thread to join.
func startSender(_ job: BlastJob) -> pthread_t {
    var thread = pthread_t()
    let context = Unmanaged.passRetained(job).toOpaque()
    let status = pthread_create(&thread, nil, { raw in
        let job = Unmanaged<BlastJob>.fromOpaque(raw!).takeRetainedValue()
        job.run()
        return nil
    }, context)
    if status != 0 { fail("pthread_create failed: \(status)") }
    while !job.started.load(ordering: .acquiring) { sched_yield() }
    return thread
}

/// A counter of /proc/net/snmp's Udp line (e.g. "RcvbufErrors").
func udpCounter(_ name: String) -> Int {
    let lines = readFile("/proc/net/snmp").split(separator: "\n").filter { $0.hasPrefix("Udp: ") }
    guard lines.count >= 2 else { return 0 }
    let names = lines[0].split(separator: " "), values = lines[1].split(separator: " ")
    guard let index = names.firstIndex(where: { $0 == name }), index < values.count else { return 0 }
    return Int(values[index]) ?? 0
}

/// Packets dropped because a CPU's input backlog was full (/proc/net/softnet_stat, column 2, all CPUs).
func backlogDrops() -> Int {
    readFile("/proc/net/softnet_stat").split(separator: "\n").reduce(0) { total, line in
        let columns = line.split(separator: " ")
        return total + (columns.count > 1 ? Int(columns[1], radix: 16) ?? 0 : 0)
    }
}

/// Opens `capturePorts` consecutive even ports on 127.0.0.1.
func bindPorts(receiveBuffer: Int32) -> [RTPSocket] {
    for base in stride(from: 46_000, to: 60_000, by: 2 * capturePorts) {
        let sockets = (0..<capturePorts).compactMap { try? RTPSocket(host: "127.0.0.1", port: base + 2 * $0, receiveBuffer: receiveBuffer) }
        if sockets.count == capturePorts { return sockets }
    }
    fail("no free block of \(capturePorts) UDP ports")
}

/// Live run: the sender blasts for `seconds` (or `limit` datagrams) while the source is polled;
/// polling continues until 200 ms pass without a delivery. With `prefill`, the sender finishes first and
/// the source is drained afterwards (the consumer alone, from a full buffer).
func runCapture(_ source: PacketSource, ports: [Int], senders: Int, seconds: Double, limit: Int = .max, prefill: Bool = false,
                kernel: (() -> (received: UInt64, drops: UInt64))? = nil) -> CaptureRun {
    var run = CaptureRun()
    let snmpBefore = udpCounter("RcvbufErrors")
    let backlogBefore = backlogDrops()
    let kernelBefore = kernel?() ?? (received: 0, drops: 0)
    // The consumer is a PacketSink, as the media engine is: pcap hands it payloads in place (zero-copy).
    let sink = CountingSink(streams: capturePorts * senders)
    var lastDelivery: Int64 = 0

    let jobs = (0..<senders).map { BlastJob(ports: ports, limit: limit / senders, index: $0) }
    let start = Measure.wall()
    let threads = jobs.map(startSender)
    if prefill {
        for thread in threads { pthread_join(thread, nil) }
    }
    let allocationsBefore = Measure.allocations()
    let cpuBefore = Measure.nanos(CLOCK_THREAD_CPUTIME_ID)
    let consumeStart = Measure.wall()
    let stopAt = start + Int64(seconds * 1e9)
    var stopped = prefill
    var idleSince: Int64 = 0
    while true {
        let before = sink.delivered
        source.poll(timeoutMillis: 10, sink: sink)
        let now = Measure.wall()
        if sink.delivered != before {
            lastDelivery = now
            idleSince = 0
        } else if stopped {
            if idleSince == 0 { idleSince = now } else if now - idleSince > 200_000_000 { break }
        }
        if !stopped && now >= stopAt {
            for job in jobs { job.stop.store(true, ordering: .relaxed) }
            stopped = true
        }
    }
    run.consumerCPUNanos = Measure.nanos(CLOCK_THREAD_CPUTIME_ID) - cpuBefore
    run.allocations = Measure.allocations() - allocationsBefore
    if !prefill { for thread in threads { pthread_join(thread, nil) } }
    run.captureWallNanos = lastDelivery - (prefill ? consumeStart : start)
    run.sent = jobs.map(\.sent).reduce(0, +)
    run.sendNanos = jobs.map(\.wallNanos).max()!
    run.senderCPUNanos = jobs.map(\.cpuNanos).reduce(0, +)
    run.delivered = sink.delivered
    run.outOfOrder = sink.outOfOrder
    run.socketBufferDrops = udpCounter("RcvbufErrors") - snmpBefore
    run.backlogDrops = backlogDrops() - backlogBefore
    let kernelAfter = kernel?() ?? (received: 0, drops: 0)
    run.kernelReceived = kernelAfter.received - kernelBefore.received
    run.kernelDrops = kernelAfter.drops - kernelBefore.drops
    return run
}

@MainActor
func runCaptureSection() {
    let title = "3. Capture: pcap vs socket (\(captureDatagramBytes)-byte datagrams to 127.0.0.1 on \(capturePorts) ports, sendmmsg sender threads, \(format(captureSeconds, 0)) s per live run)"
    let (allowed, reason) = CaptureCapabilities.canCapture()
    guard allowed else {
        print(markdown ? "### \(title)\n\n_skipped: \(reason)_\n" : "\(title)\nskipped: \(reason)\n")
        return
    }

    // (a) pcap: the RTP ports stay bound with the smallest receive buffer and are never read.
    let pcapSockets = bindPorts(receiveBuffer: 1)
    let ports = pcapSockets.map(\.port)
    let filter = PcapPacketSource.rtpFilter(ports: ports.first!...ports.last!, sipPort: nil)
    let pcap: PcapPacketSource
    do {
        pcap = try PcapPacketSource(settings: PcapSettings(interface: "lo", bufferBytes: 256 << 20, filter: filter))
    } catch {
        print(markdown ? "### \(title)\n\n_skipped: \(error)_\n" : "\(title)\nskipped: \(error)\n")
        return
    }
    for socket in pcapSockets { pcap.add(socket) }
    let pcapKernel = { () -> (received: UInt64, drops: UInt64) in
        pcap.refreshStatistics()
        let s = pcap.statistics()
        return (s.received, s.droppedByKernel)
    }
    // Warm-up (page faults in the ring, code paths), then the runs.
    _ = runCapture(pcap, ports: ports, senders: 1, seconds: 0.3, kernel: pcapKernel)
    let pcapLive = runCapture(pcap, ports: ports, senders: 1, seconds: captureSeconds, kernel: pcapKernel)
    let pcapLive2 = runCapture(pcap, ports: ports, senders: 2, seconds: captureSeconds, kernel: pcapKernel)
    // 300,000 datagrams = 600,000 ring entries on lo (both directions), well inside 256 MB.
    let pcapBacklog = runCapture(pcap, ports: ports, senders: 1, seconds: 60, limit: 300_000, prefill: true, kernel: pcapKernel)
    let pcapStats = pcap.statistics()
    pcap.close()
    for socket in pcapSockets { socket.close() }

    // (b) sockets: bound with a 4 MB receive buffer (capped by net.core.rmem_max), read one by one.
    let socketSource = SocketPacketSource()
    let sockets = bindPorts(receiveBuffer: 4 << 20)
    for socket in sockets { socketSource.add(socket) }
    let socketPorts = sockets.map(\.port)
    _ = runCapture(socketSource, ports: socketPorts, senders: 1, seconds: 0.3)
    let socketLive = runCapture(socketSource, ports: socketPorts, senders: 1, seconds: captureSeconds)
    let socketLive2 = runCapture(socketSource, ports: socketPorts, senders: 2, seconds: captureSeconds)
    // What fits in the socket buffers without loss (about 8,000 per socket at rmem_max = 4 MB).
    let socketBacklog = runCapture(socketSource, ports: socketPorts, senders: 1, seconds: 60, limit: capturePorts * 6_000, prefill: true)
    for socket in sockets { socketSource.remove(socket) }

    func pps(_ run: CaptureRun) -> Double { Double(run.delivered) / (Double(max(run.captureWallNanos, 1)) / 1e9) }
    func cpu(_ run: CaptureRun) -> Double { Double(run.consumerCPUNanos) / Double(max(run.delivered, 1)) }
    func row(_ name: String, _ run: CaptureRun, pcap: Bool) -> [String] {
        [name,
         grouped(run.sent),
         grouped(Int(Double(run.sent) / (Double(max(run.sendNanos, 1)) / 1e9))),
         grouped(run.delivered),
         grouped(Int(pps(run))),
         format(cpu(run), 1),
         grouped(Int(1e9 / cpu(run))),
         format(Double(run.senderCPUNanos) / Double(max(run.sent, 1)), 1),
         pcap ? grouped(Int(run.kernelDrops)) : "–",
         pcap ? "–" : grouped(run.socketBufferDrops),
         grouped(run.backlogDrops),
         format(Double(run.allocations) / Double(max(run.delivered, 1)), 6)]
    }
    printTable(title, ["Run", "sent", "offered/s", "delivered", "delivered/s (wall)", "consumer CPU ns/pkt",
                       "pkts/s per consumer core", "sender CPU ns/pkt", "pcap kernel drops", "socket buffer drops",
                       "backlog drops", "allocations/pkt"], [
        row("pcap, live, 1 sender", pcapLive, pcap: true),
        row("socket, live, 1 sender", socketLive, pcap: false),
        row("pcap, live, 2 senders", pcapLive2, pcap: true),
        row("socket, live, 2 senders", socketLive2, pcap: false),
        row("pcap, drain of a pre-filled ring", pcapBacklog, pcap: true),
        row("socket, drain of pre-filled buffers", socketBacklog, pcap: false),
    ])
    let notes = [
        "ratio pcap / socket: delivered/s live \(format(pps(pcapLive) / pps(socketLive), 2)) (1 sender), \(format(pps(pcapLive2) / pps(socketLive2), 2)) (2 senders), drain \(format(pps(pcapBacklog) / pps(socketBacklog), 2)); consumer CPU per packet \(format(cpu(socketLive) / cpu(pcapLive), 1))× less live (1 sender), \(format(cpu(socketBacklog) / cpu(pcapBacklog), 1))× less draining",
        "pcap kernel counters over the whole section: received \(grouped(Int(pcapStats.received))) (lo shows each datagram twice; libpcap drops the outgoing copy), dropped \(grouped(Int(pcapStats.droppedByKernel))); own counters: delivered \(grouped(Int(pcapStats.delivered))), non-UDP \(pcapStats.nonUDP), fragments \(pcapStats.fragments), undecodable \(pcapStats.undecodable)",
        "out-of-order deliveries (per-stream RTP sequence): pcap \(pcapLive.outOfOrder + pcapLive2.outOfOrder + pcapBacklog.outOfOrder), socket \(socketLive.outOfOrder + socketLive2.outOfOrder + socketBacklog.outOfOrder); sent − delivered over the live runs: pcap \(pcapLive.sent + pcapLive2.sent - pcapLive.delivered - pcapLive2.delivered), socket \(socketLive.sent + socketLive2.sent - socketLive.delivered - socketLive2.delivered)",
        "consumer CPU is the capture thread's (CLOCK_THREAD_CPUTIME_ID): poll + dispatch/recv + decode + a sequence check; on lo the kernel's receive path runs in the sender's sendmmsg and is in sender CPU. Allocations are process-wide over the consumer loop (sender included).",
    ]
    for note in notes { print(markdown ? "- \(note)" : note) }
    print("")
}

/// Counts deliveries and checks each stream's RTP sequence (a sanity check on the data, not a cost).
final class CountingSink: PacketSink {
    var delivered = 0
    var outOfOrder = 0
    private var expected: [UInt16]
    private let streams: Int

    init(streams: Int) {
        self.streams = streams
        expected = [UInt16](repeating: 0, count: streams)
    }

    func deliver(_ destination: EndpointKey, _ source: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64) {
        delivered += 1
        let index = Int(UInt32(bigEndian: payload.loadUnaligned(fromByteOffset: 8, as: UInt32.self))) % streams
        let sequence = UInt16(bigEndian: payload.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        if sequence != expected[index] { outOfOrder += 1 }
        expected[index] = sequence &+ 1
    }
}
