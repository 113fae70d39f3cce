/// Packets of a decoded codec that arrived after a gap in their stream's audio, held in timeline order
/// until the gap is filled by the packets that were late or its place is due for release (the reorder
/// window), so that the decoder sees every payload in timestamp order and can conceal what never came
/// (`[media] concealment = "codec"`).
///
/// Preallocated when the stream opens: 32 packets of up to 512 bytes each (a 200 ms reorder window of
/// 10 ms packets, with room for Opus at high bit rates). A packet that does not fit is not held: the
/// reassembler decodes it at once, after what is held before it. Capture thread only.
final class HeldPackets {
    static let capacity = 32
    static let slotBytes = 512

    struct Packet {
        var position: Int64
        var samples: Int
        var sequence: UInt16
        var length: Int
        var slot: Int
        var decoder: AudioFrameDecoder?
    }

    private let storage: UnsafeMutableRawPointer
    /// The held packets by position, the earliest first.
    private let packets: UnsafeMutablePointer<Packet>
    private(set) var count = 0
    /// Bit i set: payload slot i is free (one bit per packet of `capacity`: a free slot exists while count < capacity).
    private var freeSlots = UInt32.max

    init() {
        storage = .allocate(byteCount: HeldPackets.capacity * HeldPackets.slotBytes, alignment: 16)
        packets = .allocate(capacity: HeldPackets.capacity)
        packets.initialize(repeating: Packet(position: 0, samples: 0, sequence: 0, length: 0, slot: 0, decoder: nil),
                           count: HeldPackets.capacity)
    }

    deinit {
        packets.deinitialize(count: HeldPackets.capacity)
        packets.deallocate()
        storage.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// The earliest held packet.
    var first: Packet? { count > 0 ? packets[0] : nil }

    /// A held packet's payload (valid until the next `hold`).
    func payload(of packet: Packet) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + packet.slot * HeldPackets.slotBytes, count: packet.length)
    }

    /// Keeps a copy of `payload` in position order; false when there is no room or it is too large.
    func hold(_ payload: UnsafeRawBufferPointer, position: Int64, samples: Int, sequence: UInt16,
              decoder: AudioFrameDecoder) -> Bool {
        guard count < HeldPackets.capacity, payload.count <= HeldPackets.slotBytes else { return false }
        let slot = freeSlots.trailingZeroBitCount
        freeSlots &= ~(1 << UInt32(slot))
        (storage + slot * HeldPackets.slotBytes).copyMemory(from: payload.baseAddress!, byteCount: payload.count)
        var index = count
        while index > 0, packets[index - 1].position > position {
            packets[index] = packets[index - 1]
            index -= 1
        }
        packets[index] = Packet(position: position, samples: samples, sequence: sequence, length: payload.count,
                                slot: slot, decoder: decoder)
        count += 1
        return true
    }

    /// Takes the earliest held packet out; its payload stays readable until the next `hold`.
    func removeFirst() -> Packet {
        let taken = packets[0]
        for index in 1..<count { packets[index - 1] = packets[index] }
        count -= 1
        packets[count].decoder = nil
        freeSlots |= 1 << UInt32(taken.slot)
        return taken
    }
}
