/// Rebuilds fragmented IPv4 datagrams (SIP over UDP with large SDP/metadata bodies is often
/// fragmented). Control-plane use: all storage is allocated once at init, so a flood of fragments
/// cannot grow memory; when every slot is busy the oldest datagram is evicted.
public struct IPv4FragmentReassembler: Sendable {
    /// What happened to fragments and datagrams so far, for diagnostics.
    public struct Counters: Sendable, Equatable {
        /// Datagrams returned complete.
        public var reassembled = 0
        /// Datagrams dropped because they were not complete within the timeout.
        public var expired = 0
        /// Datagrams dropped to make room for a new one.
        public var evicted = 0
        /// Single fragments rejected on their own (offset past 65,535, misaligned length...).
        public var malformedFragments = 0
        /// Datagrams dropped because their fragments disagreed (two different ends, data past the end).
        public var inconsistentDatagrams = 0
        public init() {}
    }

    /// Datagrams that can be in flight at once.
    public let capacity: Int
    /// Nanoseconds after its first fragment that an incomplete datagram is dropped.
    public let timeoutNanos: Int64
    public internal(set) var counters = Counters()

    /// The largest IP payload an IPv4 datagram can announce (13-bit offset × 8 plus a fragment).
    static let slotBytes = 65_536
    /// Coverage is tracked in 8-byte blocks, the unit of the fragment offset.
    static let wordsPerSlot = slotBytes / 8 / 64

    var slots: [Slot]
    var storage: [UInt8]
    var coverage: [UInt64]

    /// Preallocates `capacity` × 64 KiB of buffer space.
    public init(capacity: Int = 64, timeoutNanos: Int64 = 30_000_000_000) {
        let capacity = max(1, capacity)
        self.capacity = capacity
        self.timeoutNanos = timeoutNanos
        slots = Array(repeating: Slot(), count: capacity)
        storage = Array(repeating: 0, count: capacity * Self.slotBytes)
        coverage = Array(repeating: 0, count: capacity * Self.wordsPerSlot)
    }

    /// Datagrams currently waiting for more fragments.
    public var inFlight: Int { slots.reduce(0) { $0 + ($1.inUse ? 1 : 0) } }

    /// Adds one fragment (as `PacketDecoder` reported it, `payload` being its IP payload) and returns
    /// the whole datagram's IP payload once every piece has arrived, in any order.
    public mutating func add(_ fragment: IPv4Fragment, source: EndpointKey, destination: EndpointKey,
                             payload: UnsafeRawBufferPointer, timeNanos: Int64) -> ReassembledDatagram? {
        expire(now: timeNanos)
        let start = fragment.offset
        let end = start + payload.count
        // Every fragment but the last must carry a whole number of 8-byte blocks, or the next offset is unreachable.
        guard start >= 0, start % 8 == 0, end < Self.slotBytes,
              !fragment.moreFragments || (payload.count > 0 && payload.count % 8 == 0) else {
            counters.malformedFragments += 1
            return nil
        }
        let key = Slot.Key(source: source.withoutPort, destination: destination.withoutPort,
                           identification: fragment.identification, protocolNumber: fragment.protocolNumber)
        let index = slotIndex(for: key) ?? claimSlot(for: key, now: timeNanos)

        // Check consistency with what earlier fragments said about the datagram's end.
        var slot = slots[index]
        if fragment.moreFragments {
            guard slot.totalLength < 0 || end <= slot.totalLength else { return discardInconsistent(index) }
        } else {
            guard slot.totalLength < 0 || slot.totalLength == end, end >= slot.highestEnd else {
                return discardInconsistent(index)
            }
            slot.totalLength = end
        }
        slot.highestEnd = max(slot.highestEnd, end)

        // Later copies of overlapping bytes win; duplicates are harmless.
        let base = index * Self.slotBytes
        if !payload.isEmpty {
            storage.withUnsafeMutableBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: bytes[(base + start)..<(base + end)]).copyMemory(from: payload)
            }
        }
        slot.coveredBlocks += markCovered(slot: index, fromBlock: start / 8, toBlock: (end + 7) / 8)
        slots[index] = slot

        guard slot.totalLength >= 0, slot.coveredBlocks == (slot.totalLength + 7) / 8 else { return nil }
        let datagram = ReassembledDatagram(source: key.source, destination: key.destination,
                                           identification: key.identification, protocolNumber: key.protocolNumber,
                                           payload: Array(storage[base..<(base + slot.totalLength)]))
        release(index)
        counters.reassembled += 1
        return datagram
    }
}
