#if canImport(Glibc)
import Glibc
#endif
import CPcap
import Synchronization
import SystemLayer
import Wire

extension PcapPacketSource {
    // MARK: Reading

    func dispatchReady(deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        guard let pointer = handle.pointer else { return }
        let now = monotonicNanos()
        // Every 10 ms (nine vDSO clock reads; every pass cost ~15 ns a packet live): a wall-clock step is seen
        // within a block time-out, and a packet stamped in between is at most that far off ("now").
        if now - clock.refreshedAt >= 10_000_000 {
            clock.refresh()
        }
        if now - lastStatisticsRefresh >= 1_000_000_000 {
            lastStatisticsRefresh = now
            refreshStatistics()
        }
        let limit = settings.maximumPacketsPerPoll
        let staging = self.staging
        staging.pointee.clock = clock
        staging.pointee.nowNanos = now
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
                deliver(entry.destination, entry.source, UnsafeRawBufferPointer(start: arena + entry.offset, count: entry.length), entry.arrival)
            }
            if n <= 0 {
                if n == PCAP_ERROR { recordError(handle.lastError, pause: 0) }
                break
            }
            handled += Int(n)
        }
        // A packet is readable once the kernel retires its block: at most the block time-out after it
        // arrived (plus timer slack). Everything older than that was in a block this pass read, unless the
        // pass stopped at its packet limit.
        if handled < limit { completeThroughNanos = now - Int64(settings.timeoutMillis) * 1_000_000 - PcapPacketSource.retireSlackNanos }
        publish()
    }

    /// The pcap_handler: decode, filter, convert the time, and copy the UDP payload into the staging
    /// arena. Allocates nothing.
    static func stage(_ user: UnsafeMutablePointer<UInt8>?, _ header: UnsafePointer<pcap_pkthdr>?, _ bytes: UnsafePointer<UInt8>?) {
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
                sink.deliver(packet.destination, packet.source, UnsafeRawBufferPointer(start: bytes + packet.payloadOffset, count: length),
                             staging.pointee.clock.arrival(wallNanos: wall, nowNanos: staging.pointee.nowNanos))
                return
            }
            let offset = staging.pointee.used
            (staging.pointee.arena + offset).copyMemory(from: bytes + packet.payloadOffset, byteCount: length)
            staging.pointee.entries[staging.pointee.count] = StagedPacket(
                destination: packet.destination, source: packet.source, offset: offset, length: length, arrival: staging.pointee.clock.arrival(wallNanos: wall, nowNanos: staging.pointee.nowNanos))
            staging.pointee.count += 1
            staging.pointee.used = offset + (length + 15) & ~15
            staging.pointee.delivered &+= 1
        }
    }

    /// Adds the staging counters to the published ones (single writer) and clears them.
    func publish() {
        @inline(__always) func add(_ counter: borrowing Atomic<UInt64>, _ n: inout UInt64) {
            if n != 0 { counter.store(counter.load(ordering: .relaxed) &+ n, ordering: .relaxed) }
            n = 0
        }
        add(deliveredCount, &staging.pointee.delivered)
        add(nonUDPCount, &staging.pointee.nonUDP)
        add(fragmentCount, &staging.pointee.fragments)
        add(undecodableCount, &staging.pointee.undecodable)
    }

    func recordError(_ message: String?, pause: Int32) {
        readErrorCount.store(readErrorCount.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        if let message { lastErrorText.withLock { $0 = message } }
        if pause > 0 {
            // Do not spin on a broken handle.
            var interval = timespec(tv_sec: Int(pause / 1000), tv_nsec: Int(pause % 1000) * 1_000_000)
            nanosleep(&interval, nil)
        }
    }

    static func failure(_ message: String) -> CaptureError {
        CaptureError(code: .socket, message: message)
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// pcap_statustostr, plus pcap_geterr's detail for the codes that set it.
    static func statusText(_ status: Int32, _ handle: PcapHandle) -> String {
        let summary = pcap_statustostr(status).map { String(cString: $0) } ?? "status \(status)"
        let detail = handle.lastError
        return detail.isEmpty ? summary : "\(summary): \(detail)"
    }
}
