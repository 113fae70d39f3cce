/// One telephone-event (RFC 4733) seen on a stream: not audio, kept as metadata.
public struct DTMFEvent: Sendable, Equatable {
    /// Event code: 0–9, 10 = *, 11 = #, 12–15 = A–D, others as defined by RFC 4733.
    public var event: UInt8
    /// Timeline position of the event's start (samples).
    public var position: Int64
    /// Duration so far (samples).
    public var duration: Int

    /// The digit as users write it ("5", "*", "#", "A"), or the event number.
    public var symbol: String {
        switch event {
        case 0...9: return String(event)
        case 10: return "*"
        case 11: return "#"
        case 12...15: return String(UnicodeScalar(UInt8(ascii: "A") + event - 12))
        default: return "event-\(event)"
        }
    }
}

/// A fixed-capacity list of a stream's DTMF events; events beyond capacity are counted (`droppedEvents`,
/// reported as the stream's `dtmfDropped`), not stored. The storage is reserved up front so the capture
/// thread never allocates; 64 events (1.5 KB) covers a card number, expiry, code and PIN in one direction.
/// Owned by the capture thread while the stream runs; read by others only once the stream is closed.
public struct DTMFLog: Sendable {
    public private(set) var events: [DTMFEvent]
    public private(set) var droppedEvents = 0
    /// The latest event seen, kept or dropped: its packets keep coming until it ends.
    private var last: (timestamp: UInt32, event: UInt8, kept: Bool)?
    private let capacity: Int

    public init(capacity: Int = 64) {
        self.capacity = capacity
        events = []
        events.reserveCapacity(capacity)
    }

    /// Forgets the events that start at or after `position` (a pause that turned out to precede them).
    public mutating func removeEvents(from position: Int64) {
        guard let latest = events.last, latest.position >= position else { return }
        events.removeAll { $0.position >= position }
        // Later packets of the latest event continue nothing kept.
        if let last, last.kept { self.last = (last.timestamp, last.event, false) }
    }

    /// Records an RFC 4733 payload; retransmitted and continuation packets of one event update it.
    /// Notes an RFC 4733 payload that arrived while the stream did not record: the event is not kept, and
    /// neither are its continuation packets after a resume (a digit keyed during a pause stays out).
    public mutating func withhold(payload: UnsafeRawBufferPointer, timestamp: UInt32) {
        guard payload.count >= 4 else { return }
        if let last, last.timestamp == timestamp, last.event == payload[0] { return }
        last = (timestamp, payload[0], false)
    }

    /// `scale`: the event's RTP clock onto the timeline (its audio's: telephone-event/48000 next to Opus
    /// is divided by 6 into an 8 kHz master).
    public mutating func record(payload: UnsafeRawBufferPointer, timestamp: UInt32, position: Int64, scale: ClockScale = .identity) {
        guard payload.count >= 4 else { return }
        let event = payload[0]
        let duration = scale.samples(Int(payload[2]) << 8 | Int(payload[3]))
        if let last, last.timestamp == timestamp, last.event == event {
            // A continuation or retransmission: extends the kept event, or belongs to a dropped one.
            if last.kept { events[events.count - 1].duration = max(events[events.count - 1].duration, duration) }
            return
        }
        let kept = events.count < capacity
        last = (timestamp, event, kept)
        guard kept else { droppedEvents += 1; return }
        events.append(DTMFEvent(event: event, position: position, duration: duration))
    }
}
