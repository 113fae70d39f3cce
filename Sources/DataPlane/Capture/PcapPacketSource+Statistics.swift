#if canImport(Glibc)
import Glibc
#endif
import CPcap
import Synchronization
import Wire

extension PcapPacketSource {
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
}
