import Wire

/// Finds a stream by the destination of its RTP (address and port) with linear probing over arrays
/// allocated once: lookups, inserts and removals allocate nothing. Removal shifts later entries back
/// instead of leaving tombstones, so probe lengths stay short however many calls come and go.
/// Capture thread only.
///
/// Streams received on bound sockets are registered with the wildcard address; a lookup that misses
/// the exact address falls back to the wildcard entry for the port.
struct StreamTable {
    private var keys: [EndpointKey]
    private var values: [MediaStream?]
    private var used: [Bool]
    private let mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        keys = Array(repeating: EndpointKey.anyAddress(port: 0), count: size)
        values = Array(repeating: nil, count: size)
        used = Array(repeating: false, count: size)
    }

    @inline(__always)
    private func home(of key: EndpointKey) -> Int {
        var h = key.addressLow &* 0x9E37_79B9_7F4A_7C15
        h ^= key.addressHigh &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(key.port) &* 0x1656_67B1_9E37_79F9
        return Int(truncatingIfNeeded: h >> 32) & mask
    }

    /// The stream for a destination, trying the exact address first, then the wildcard.
    @inline(__always)
    func stream(for key: EndpointKey) -> MediaStream? {
        if let exact = find(key) { return values[exact] }
        guard !key.isWildcard, let wildcard = find(key.wildcard) else { return nil }
        return values[wildcard]
    }

    /// The slot holding `key`, or nil. The table is at most half full, so an empty slot ends the probe.
    @inline(__always)
    private func find(_ key: EndpointKey) -> Int? {
        var index = home(of: key)
        while used[index] {
            if keys[index] == key { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Registers a stream; returns false when the table is full (the stream then gets no packets).
    mutating func insert(_ stream: MediaStream, for key: EndpointKey) -> Bool {
        if let index = find(key) {
            values[index] = stream
            return true
        }
        guard count < (mask + 1) / 2 else { return false }
        var index = home(of: key)
        while used[index] { index = (index + 1) & mask }
        keys[index] = key
        values[index] = stream
        used[index] = true
        count += 1
        return true
    }

    /// Removes a registration if it still points at `stream`, then moves back the entries that probed
    /// past it (backward-shift deletion), so no lookup ever has to step over a hole.
    mutating func remove(_ key: EndpointKey, ifPointingAt stream: MediaStream) {
        guard var hole = find(key), values[hole] === stream else { return }
        used[hole] = false
        values[hole] = nil
        count -= 1
        var next = (hole + 1) & mask
        while used[next] {
            let wanted = home(of: keys[next])
            // The entry at `next` may move into the hole unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if !staysPut {
                keys[hole] = keys[next]
                values[hole] = values[next]
                used[hole] = true
                used[next] = false
                values[next] = nil
                hole = next
            }
            next = (next + 1) & mask
        }
    }
}
