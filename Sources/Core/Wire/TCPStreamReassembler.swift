/// One direction of a TCP connection.
public struct TCPFlowKey: Hashable, Sendable {
    public var source: EndpointKey
    public var destination: EndpointKey

    public init(source: EndpointKey, destination: EndpointKey) {
        self.source = source
        self.destination = destination
    }
}

/// Turns TCP segments seen on a mirror port back into each direction's byte stream, so SIP over
/// TCP can be framed. Control-plane use: bounded per flow and in flow count; when a bound is hit,
/// data is dropped (and counted) rather than memory grown.
public struct TCPStreamReassembler: Sendable {
    /// What was dropped so far, for diagnostics.
    public struct Counters: Sendable, Equatable {
        /// Flows forgotten to make room for a new one.
        public var flowsEvicted = 0
        /// Flows ended by FIN (once all data before it arrived) or RST.
        public var flowsClosed = 0
        /// Out-of-order segments dropped because the flow's buffer was full or they were too far ahead.
        public var segmentsDropped = 0
        public init() {}
    }

    /// Flows tracked at once.
    public let maxFlows: Int
    /// Out-of-order bytes buffered per flow, and how far ahead of the expected sequence a segment may start.
    public let maxBufferedBytesPerFlow: Int
    public internal(set) var counters = Counters()

    var flows: [TCPFlowKey: FlowState] = [:]
    /// A logical clock for least-recently-active eviction.
    var clock: UInt64 = 0

    public init(maxFlows: Int = 1024, maxBufferedBytesPerFlow: Int = 256 * 1024) {
        self.maxFlows = max(1, maxFlows)
        self.maxBufferedBytesPerFlow = max(0, maxBufferedBytesPerFlow)
    }

    /// Flows currently tracked.
    public var flowCount: Int { flows.count }

    /// True while `flow` is tracked (seen, and not closed or evicted).
    public func isTracking(_ flow: TCPFlowKey) -> Bool { flows[flow] != nil }

    /// Adds one segment and returns the bytes that are now in order (empty if none).
    ///
    /// A SYN sets the stream start to ISN+1; without one, the first segment carrying data starts the
    /// stream mid-way. Retransmitted and overlapping bytes are delivered once. FIN closes the flow once
    /// every byte before it has been delivered; RST closes it at once.
    public mutating func add(flow: TCPFlowKey, sequence: UInt32, flags: TCPFlags,
                             payload: UnsafeRawBufferPointer) -> [UInt8] {
        clock &+= 1
        if flags.contains(.rst) {
            if flows.removeValue(forKey: flow) != nil { counters.flowsClosed += 1 }
            return []
        }
        var dataSequence = sequence
        var state: FlowState
        if flags.contains(.syn) {
            dataSequence = sequence &+ 1
            // A retransmitted SYN keeps what we have; a SYN with a new ISN is a new connection.
            if let existing = flows[flow], existing.nextSequence == dataSequence {
                state = existing
            } else {
                state = FlowState(nextSequence: dataSequence)
            }
        } else if let existing = flows[flow] {
            state = existing
        } else {
            // A pure ACK/FIN of an unknown flow gives nothing to anchor the stream on.
            guard !payload.isEmpty else { return [] }
            state = FlowState(nextSequence: sequence)
        }
        state.lastActivity = clock

        var output: [UInt8] = []
        if !state.accept(payload, at: dataSequence, into: &output, limit: maxBufferedBytesPerFlow) {
            counters.segmentsDropped += 1
        }
        state.drain(into: &output)
        if flags.contains(.fin) {
            state.finSequence = dataSequence &+ UInt32(truncatingIfNeeded: payload.count)
        }
        if let fin = state.finSequence, fin == state.nextSequence {
            if flows.removeValue(forKey: flow) != nil || flags.contains(.fin) { counters.flowsClosed += 1 }
            return output
        }
        if flows[flow] == nil, flows.count >= maxFlows { evictLeastRecentlyActive() }
        flows[flow] = state
        return output
    }

    /// Convenience for callers holding an array.
    public mutating func add(flow: TCPFlowKey, sequence: UInt32, flags: TCPFlags, payload: [UInt8]) -> [UInt8] {
        payload.withUnsafeBytes { add(flow: flow, sequence: sequence, flags: flags, payload: $0) }
    }

    mutating func evictLeastRecentlyActive() {
        guard let victim = flows.min(by: { $0.value.lastActivity < $1.value.lastActivity })?.key else { return }
        flows.removeValue(forKey: victim)
        counters.flowsEvicted += 1
    }
}
