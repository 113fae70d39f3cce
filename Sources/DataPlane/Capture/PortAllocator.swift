/// Hands out even RTP ports (RFC 3550 §11: RTP on even, RTCP on the next odd port) from a range,
/// round-robin so a port just released is not reused at once (late packets of an old call must not
/// land in a new one). Used by the control plane only.
public struct PortAllocator: Sendable {
    public let low: Int
    public let high: Int
    private var next: Int
    private var inUse: Set<Int> = []
    /// SO_RCVBUF of the sockets: normal when they are read, the minimum when pcap captures instead.
    public let receiveBuffer: Int32

    public init(low: Int, high: Int, receiveBuffer: Int32 = 256 * 1024) {
        self.low = low + (low & 1)
        self.high = high
        self.receiveBuffer = receiveBuffer
        next = self.low
    }

    /// Number of RTP ports the range holds.
    public var capacity: Int { max(0, (high - low) / 2 + 1) }

    /// Opens a socket on the next free even port (and binds its RTCP port, port + 1), skipping ports
    /// another process holds. A socket the system will not create at all (no descriptor or memory left) is
    /// thrown at once (code `.socket`): no other port would do better.
    public mutating func allocate(host: String) throws(CaptureError) -> RTPSocket {
        var attempts = 0
        while attempts < capacity {
            let port = next
            next = next + 2 > high ? low : next + 2
            attempts += 1
            if inUse.contains(port) || port + 1 > 65_535 { continue }
            do {
                let socket = try RTPSocket(host: host, port: port, receiveBuffer: receiveBuffer, bindRTCP: true)
                inUse.insert(port)
                return socket
            } catch where error.code == .socket {
                throw error
            } catch {
                continue
            }
        }
        throw CaptureError(code: .exhausted, message: "no free RTP port in \(low)-\(high)")
    }

    /// Returns a port to the pool (the socket itself is closed by its owner).
    public mutating func release(port: Int) { inUse.remove(port) }
}
