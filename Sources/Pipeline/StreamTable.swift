import Wire

/// Finds a stream by the destination of its RTP (address and port) with open addressing over arrays
/// allocated once: lookups and inserts allocate nothing. Capture thread only.
///
/// Streams received on bound sockets are registered with the wildcard address; a lookup that misses
/// the exact address falls back to the wildcard entry for the port.
struct StreamTable {
    private var keys: [EndpointKey]
    private var values: [MediaStream?]
    /// 0 empty, 1 used, 2 deleted (tombstone).
    private var states: [UInt8]
    private let mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        keys = Array(repeating: EndpointKey.anyAddress(port: 0), count: size)
        values = Array(repeating: nil, count: size)
        states = Array(repeating: 0, count: size)
    }

    @inline(__always)
    private func slot(for key: EndpointKey) -> Int {
        var h = key.addressLow &* 0x9E37_79B9_7F4A_7C15
        h ^= key.addressHigh &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(key.port) &* 0x1656_67B1_9E37_79F9
        return Int(truncatingIfNeeded: h >> 32) & mask
    }

    /// The stream for a destination, trying the exact address first, then the wildcard.
    @inline(__always)
    func stream(for key: EndpointKey) -> MediaStream? {
        if let exact = find(key) { return exact }
        return key.isWildcard ? nil : find(key.wildcard)
    }

    @inline(__always)
    private func find(_ key: EndpointKey) -> MediaStream? {
        var index = slot(for: key)
        for _ in 0...mask {
            switch states[index] {
            case 0: return nil
            case 1 where keys[index] == key: return values[index]
            default: index = (index + 1) & mask
            }
        }
        return nil
    }

    /// Registers a stream; returns false when the table is full (the stream then gets no packets).
    mutating func insert(_ stream: MediaStream, for key: EndpointKey) -> Bool {
        guard count < (mask + 1) / 2 else { return false }
        var index = slot(for: key)
        var firstFree: Int?
        for _ in 0...mask {
            switch states[index] {
            case 0:
                let target = firstFree ?? index
                keys[target] = key
                values[target] = stream
                states[target] = 1
                count += 1
                return true
            case 1 where keys[index] == key:
                values[index] = stream
                return true
            case 2:
                if firstFree == nil { firstFree = index }
                fallthrough
            default:
                index = (index + 1) & mask
            }
        }
        if let target = firstFree {
            keys[target] = key
            values[target] = stream
            states[target] = 1
            count += 1
            return true
        }
        return false
    }

    /// Removes a registration if it still points at `stream`.
    mutating func remove(_ key: EndpointKey, ifPointingAt stream: MediaStream) {
        var index = slot(for: key)
        for _ in 0...mask {
            switch states[index] {
            case 0: return
            case 1 where keys[index] == key:
                if values[index] === stream {
                    values[index] = nil
                    states[index] = 2
                    count -= 1
                }
                return
            default: index = (index + 1) & mask
            }
        }
    }
}
