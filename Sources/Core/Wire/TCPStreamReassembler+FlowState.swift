extension TCPStreamReassembler {
    /// A segment that arrived ahead of the expected sequence.
    struct PendingSegment: Sendable {
        var sequence: UInt32
        var bytes: [UInt8]
    }

    /// Reassembly state of one direction.
    struct FlowState: Sendable {
        var nextSequence: UInt32
        var pending: [PendingSegment] = []
        var pendingBytes = 0
        /// Sequence number just past the FIN's data, once a FIN was seen.
        var finSequence: UInt32? = nil
        var lastActivity: UInt64 = 0

        init(nextSequence: UInt32) { self.nextSequence = nextSequence }

        /// Signed distance from the expected sequence; serial arithmetic (RFC 1982) handles the 32-bit wrap.
        func distance(to sequence: UInt32) -> Int {
            Int(Int32(bitPattern: sequence &- nextSequence))
        }

        /// Delivers the new part of an in-order (or overlapping) segment, or buffers one from the future.
        /// Returns false when a future segment had to be dropped for lack of room.
        mutating func accept(_ payload: UnsafeRawBufferPointer, at sequence: UInt32,
                             into output: inout [UInt8], limit: Int) -> Bool {
            guard !payload.isEmpty else { return true }
            let ahead = distance(to: sequence)
            if ahead <= 0 {
                // Bytes before nextSequence were already delivered: a retransmission or overlap.
                let skip = -ahead
                if skip < payload.count {
                    output.append(contentsOf: payload[skip...])
                    nextSequence &+= UInt32(truncatingIfNeeded: payload.count - skip)
                }
                return true
            }
            guard ahead + payload.count <= limit, pendingBytes + payload.count <= limit else { return false }
            pending.append(PendingSegment(sequence: sequence, bytes: Array(payload)))
            pendingBytes += payload.count
            return true
        }

        /// Moves buffered segments that have become in order to `output`.
        mutating func drain(into output: inout [UInt8]) {
            while let index = pending.firstIndex(where: { distance(to: $0.sequence) <= 0 }) {
                let segment = pending.remove(at: index)
                pendingBytes -= segment.bytes.count
                _ = segment.bytes.withUnsafeBytes { accept($0, at: segment.sequence, into: &output, limit: 0) }
            }
        }
    }
}
