extension IPv4FragmentReassembler {
    /// Bookkeeping for one datagram being rebuilt; its bytes live in `storage` at `index × slotBytes`.
    struct Slot: Sendable {
        /// RFC 791 identifies a datagram by source, destination, protocol and identification.
        struct Key: Sendable, Equatable {
            var source: EndpointKey
            var destination: EndpointKey
            var identification: UInt16
            var protocolNumber: UInt8
        }

        var inUse = false
        var key = Key(source: .anyAddress(port: 0), destination: .anyAddress(port: 0), identification: 0, protocolNumber: 0)
        var firstSeen: Int64 = 0
        /// Payload length once the last fragment (MF clear) has arrived; -1 before.
        var totalLength = -1
        /// The furthest byte any fragment reached, to catch a last fragment that ends too early.
        var highestEnd = 0
        var coveredBlocks = 0
    }

    func slotIndex(for key: Slot.Key) -> Int? {
        slots.firstIndex { $0.inUse && $0.key == key }
    }

    /// A free slot, or the oldest one evicted to make room.
    mutating func claimSlot(for key: Slot.Key, now: Int64) -> Int {
        var index = slots.firstIndex { !$0.inUse }
        if index == nil {
            var oldest = 0
            for i in slots.indices where slots[i].firstSeen < slots[oldest].firstSeen { oldest = i }
            release(oldest)
            counters.evicted += 1
            index = oldest
        }
        let claimed = index!
        slots[claimed] = Slot(inUse: true, key: key, firstSeen: now)
        return claimed
    }

    /// Drops datagrams whose first fragment is older than the timeout.
    mutating func expire(now: Int64) {
        for i in slots.indices where slots[i].inUse && now &- slots[i].firstSeen > timeoutNanos {
            release(i)
            counters.expired += 1
        }
    }

    mutating func discardInconsistent(_ index: Int) -> ReassembledDatagram? {
        release(index)
        counters.inconsistentDatagrams += 1
        return nil
    }

    mutating func release(_ index: Int) {
        slots[index] = Slot()
        let first = index * Self.wordsPerSlot
        for w in first..<(first + Self.wordsPerSlot) { coverage[w] = 0 }
    }

    /// Sets the coverage bits of `fromBlock..<toBlock` and returns how many were newly set.
    mutating func markCovered(slot index: Int, fromBlock: Int, toBlock: Int) -> Int {
        let first = index * Self.wordsPerSlot
        var added = 0
        for block in fromBlock..<max(fromBlock, toBlock) {
            let word = first + block >> 6
            let bit: UInt64 = 1 << UInt64(block & 63)
            if coverage[word] & bit == 0 {
                coverage[word] |= bit
                added += 1
            }
        }
        return added
    }
}

extension EndpointKey {
    /// The address alone: fragments after the first carry no ports.
    var withoutPort: EndpointKey { EndpointKey(addressHigh: addressHigh, addressLow: addressLow, port: 0) }
}
