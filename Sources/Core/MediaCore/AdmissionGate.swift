/// Which of a stream's packets belong to the recording, decided by arrival time.
///
/// The rule (a recording is evidence): media that reached the box before the signalling message or REST
/// request that pauses, mutes or ends a recording belongs to it; media that arrived after it does not;
/// resume is symmetric. The control plane stamps each such change with the time its message was read and
/// sends it as an ``Edge``; the capture thread may get the edge before or after the packets around it (a
/// pcap block not yet retired, a busy core), so the order is never "which thread got there first":
///
/// - an edge waits here until a packet that arrived after it comes, or until the capture source has
///   delivered everything that arrived before it (``apply(through:)``);
/// - every packet is placed and written to the ring whether it is recorded or not, and the gate keeps the
///   spans of the timeline that must be silent; the ring silences them as it releases audio to the
///   encoder, a reorder window later. An edge that reaches the capture thread after packets it concerns
///   (up to the last ``logCapacity`` packets) is therefore still applied exactly.
///
/// A pause edge's place on the timeline is the end of the furthest audio that arrived before it (the
/// packet that arrived 0.1 ms before the pause is kept whole); a packet that arrived after it keeps only
/// its samples before that place (a reordered straggler sent earlier). A resume edge's place is the start
/// of the first packet that arrived after it. Pure: no clock, no I/O; the capture thread owns it.
public struct AdmissionGate: Sendable {
    /// A change of whether the stream records, at a monotonic instant (and its timeline position, used
    /// when no packet tells where the stream is).
    public struct Edge: Sendable, Equatable {
        public var nanos: Int64
        public var position: Int64
        public var accepting: Bool

        public init(nanos: Int64, position: Int64, accepting: Bool) {
            self.nanos = nanos
            self.position = position
            self.accepting = accepting
        }
    }

    /// Timeline samples `[from, to)` to be silenced as they are released; `to` is `Int64.max` while open.
    public struct Span: Sendable, Equatable {
        public var from: Int64
        public var to: Int64
    }

    /// What an edge applied after the fact changed for packets already counted.
    public struct Adjustment: Sendable, Equatable {
        /// Packets counted as recorded that turn out to have arrived after a pause.
        public var toDiscarded = 0
        /// Packets counted as discarded that turn out to have arrived after a resume.
        public var toRecorded = 0
        /// The earliest of the packets now recorded (with its SSRC).
        public var firstRecorded: (position: Int64, ssrc: UInt32)?
        /// A pause was placed here: events from here on were not recorded.
        public var pausedFrom: Int64?

        public static func == (a: Adjustment, b: Adjustment) -> Bool {
            a.toDiscarded == b.toDiscarded && a.toRecorded == b.toRecorded && a.pausedFrom == b.pausedFrom
                && a.firstRecorded?.position == b.firstRecorded?.position && a.firstRecorded?.ssrc == b.firstRecorded?.ssrc
        }

        mutating func add(_ other: Adjustment) {
            toDiscarded += other.toDiscarded
            toRecorded += other.toRecorded
            if let first = other.firstRecorded, first.position < firstRecorded?.position ?? .max { firstRecorded = first }
            if let from = other.pausedFrom { pausedFrom = min(pausedFrom ?? .max, from) }
        }
    }

    struct Arrival {
        var nanos: Int64
        var start: Int64
        var end: Int64
        var ssrc: UInt32
        var recorded: Bool
    }

    /// Packets remembered for edges that arrive late (640 ms of 20 ms packets); a power of two.
    public static let logCapacity = 32
    /// Edges waiting for their packets, and silent spans not yet released.
    public static let edgeCapacity = 16

    /// Whether a packet that arrives now is recorded.
    public private(set) var accepting: Bool
    /// Edges not applied yet, by time, and the time of the first (`Int64.max`: none): a packet checks one
    /// number.
    private var pending: [Edge] = []
    private var nextEdgeNanos = Int64.max
    /// The last packets, a ring held inline (no reference counting on the packet path): `logCount` of
    /// them, the oldest at `logStart`.
    private var log = InlineArray<32, Arrival>(repeating: Arrival(nanos: 0, start: 0, end: 0, ssrc: 0, recorded: false))
    private var logCount = 0
    private var logStart = 0
    /// The end of the furthest audio of packets that left the log (`Int64.min`: none).
    private var endBeforeLog = Int64.min
    /// Silent spans, in order; the last one is open while the stream does not record.
    public private(set) var spans: [Span] = []
    /// A resume applied before any packet after it: the open span ends at the next packet's start.
    private var resumeAwaitsPacket = false
    /// The time of the last edge applied: an edge stamped earlier applies at once.
    private var appliedThrough = Int64.min

    /// A gate that records from the start (`accepting`) or is silent from `position` on.
    public init(accepting: Bool, from position: Int64 = 0) {
        self.accepting = accepting
        pending.reserveCapacity(AdmissionGate.edgeCapacity)
        spans.reserveCapacity(AdmissionGate.edgeCapacity + 1)
        if !accepting { spans.append(Span(from: position, to: .max)) }
    }

    /// Edges waiting to be applied.
    public var pendingCount: Int { pending.count }

    /// Where the stream's recorded audio ends while it does not record (the open span's start).
    public var silentFrom: Int64? {
        guard let last = spans.last, last.to == .max else { return nil }
        return last.from
    }

    /// Takes an edge from the control plane. One stamped no later than the last applied edge applies now;
    /// with the queue full, the oldest edge is applied first to make room.
    public mutating func schedule(_ edge: Edge) -> Adjustment {
        var adjustment = Adjustment()
        if edge.nanos <= appliedThrough && pending.isEmpty {
            adjustment.add(apply(edge))
            return adjustment
        }
        if pending.count == AdmissionGate.edgeCapacity { adjustment.add(apply(pending.removeFirst())) }
        let index = pending.firstIndex { $0.nanos > edge.nanos } ?? pending.count
        pending.insert(edge, at: index)
        nextEdgeNanos = pending[0].nanos
        return adjustment
    }

    /// Applies every edge stamped at or before `nanos`: a packet that arrived then is on its way, or the
    /// source has delivered everything that arrived before then.
    @inline(__always)
    public mutating func apply(through nanos: Int64) -> Adjustment? {
        guard nanos >= nextEdgeNanos else { return nil }
        var adjustment = Adjustment()
        while let edge = pending.first, edge.nanos <= nanos {
            pending.removeFirst()
            adjustment.add(apply(edge))
        }
        nextEdgeNanos = pending.first?.nanos ?? .max
        return adjustment
    }

    /// A packet written at `[start, end)` that arrived at `nanos`: remembered, and returns whether it is
    /// recorded. Apply the edges up to `nanos` first.
    @inline(__always)
    public mutating func admit(nanos: Int64, start: Int64, end: Int64, ssrc: UInt32) -> Bool {
        if accepting && resumeAwaitsPacket {
            resumeAwaitsPacket = false
            closeOpenSpan(at: start)
        }
        let arrival = Arrival(nanos: nanos, start: start, end: end, ssrc: ssrc, recorded: accepting)
        if logCount < AdmissionGate.logCapacity {
            log[(logStart + logCount) & (AdmissionGate.logCapacity - 1)] = arrival
            logCount += 1
        } else {
            endBeforeLog = max(endBeforeLog, log[logStart].end)
            log[logStart] = arrival
            logStart = (logStart + 1) & (AdmissionGate.logCapacity - 1)
        }
        return accepting
    }

    /// Forgets spans that end at or before `position` (released already).
    public mutating func forget(before position: Int64) {
        while let first = spans.first, first.to <= position { spans.removeFirst() }
    }

    // MARK: Applying an edge

    private mutating func apply(_ edge: Edge) -> Adjustment {
        appliedThrough = max(appliedThrough, edge.nanos)
        guard edge.accepting != accepting else {
            // A pause while a resume still waits for its first packet: nothing was recorded since.
            if !edge.accepting, resumeAwaitsPacket { resumeAwaitsPacket = false; accepting = false }
            return Adjustment()
        }
        return edge.accepting ? resume(at: edge) : pause(at: edge)
    }

    private mutating func pause(at edge: Edge) -> Adjustment {
        var adjustment = Adjustment()
        accepting = false
        if resumeAwaitsPacket {
            resumeAwaitsPacket = false
            return adjustment   // the span that the resume would have closed stays open
        }
        // The end of what arrived before the edge; without any, where the edge's time falls (or before
        // the first packet that arrived after it).
        var end = endBeforeLog
        var after = Int64.max
        for index in 0..<logCount {
            let entry = log[index]
            if entry.nanos < edge.nanos { end = max(end, entry.end) } else { after = min(after, entry.start) }
        }
        if end == .min { end = min(edge.position, after) }
        for index in 0..<logCount where log[index].nanos >= edge.nanos && log[index].recorded {
            log[index].recorded = false
            adjustment.toDiscarded += 1
        }
        adjustment.pausedFrom = end
        if spans.count == AdmissionGate.edgeCapacity + 1 {
            // Dozens of toggles within one reorder window: merge with the last span (silences more, never less).
            spans[spans.count - 1].to = .max
            spans[spans.count - 1].from = min(spans[spans.count - 1].from, end)
        } else {
            spans.append(Span(from: end, to: .max))
        }
        return adjustment
    }

    private mutating func resume(at edge: Edge) -> Adjustment {
        var adjustment = Adjustment()
        accepting = true
        var start = Int64.max
        for index in 0..<logCount where log[index].nanos >= edge.nanos && !log[index].recorded {
            log[index].recorded = true
            adjustment.toRecorded += 1
            if log[index].start < start {
                start = log[index].start
                adjustment.firstRecorded = (log[index].start, log[index].ssrc)
            }
        }
        if start == .max {
            resumeAwaitsPacket = true
        } else {
            closeOpenSpan(at: start)
        }
        return adjustment
    }

    private mutating func closeOpenSpan(at position: Int64) {
        guard let last = spans.indices.last, spans[last].to == .max else { return }
        let to = max(spans[last].from, position)
        if to == spans[last].from { spans.removeLast() } else { spans[last].to = to }
    }
}
