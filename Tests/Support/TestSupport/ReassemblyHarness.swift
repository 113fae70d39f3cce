import MediaCore

/// Drives a `StreamReassembler` the way siprecd's capture and encoder threads do, on a virtual clock.
///
/// The capture side receives each datagram at its arrival position and calls `advance(now:)` every
/// `clockStep` samples as the clock moves (so a ten-minute hold costs no waiting); the encoder side
/// drains the ring with `ring.read` after every step. `close(at:)` is retried until the ring has
/// room, as the capture thread does. The result is the stream's whole timeline from position 0.
public final class ReassemblyHarness {
    public let reassembler: StreamReassembler
    /// How far the clock moves between two `advance(now:)` calls (the capture thread's 5 ms tick is 40).
    public var clockStep: Int64 = 160
    /// False to model an encoder that stopped reading (the ring fills up).
    public var draining = true
    /// Everything read from the ring so far, from position 0.
    public private(set) var output: [Int16] = []
    /// The virtual clock.
    public private(set) var clock: Int64 = 0
    private var scratch: [Int16]

    public init(payloads: StreamPayloads = StreamPayloads(audioPayloadType: 0, codec: .pcmu,
                                                           telephoneEventPayloadType: 101),
                decoders: StreamDecoders = StreamDecoders(), timing: ReassemblyTiming = ReassemblyTiming()) {
        reassembler = try! StreamReassembler(payloads: payloads, decoders: decoders, timing: timing)
        scratch = [Int16](repeating: 0, count: reassembler.ring.capacity)
    }

    /// Moves the clock to `position`, advancing and draining at every step.
    public func move(to position: Int64) {
        while clock < position {
            clock = min(position, clock + clockStep)
            reassembler.advance(now: clock, horizonNanos: clock &* 125_000)
            if draining { drain() }
        }
    }

    /// Delivers one datagram at `arrival` (moving the clock there first).
    public func receive(_ bytes: [UInt8], at arrival: Int64) {
        move(to: arrival)
        bytes.withUnsafeBytes { reassembler.receive($0, arrival: arrival, arrivalNanos: arrival * 125_000) }
    }

    /// Delivers one datagram that arrived at monotonic `nanos` (the clock moves to its sample first).
    public func receive(_ bytes: [UInt8], atNanos nanos: Int64) {
        move(to: nanos / 125_000)
        bytes.withUnsafeBytes { reassembler.receive($0, arrival: nanos / 125_000, arrivalNanos: nanos) }
    }

    /// A pause (false) or resume (true) the control plane stamped at monotonic `nanos`, reaching the
    /// capture thread now.
    public func schedule(accepting: Bool, atNanos nanos: Int64) {
        reassembler.schedule(AdmissionGate.Edge(nanos: nanos, position: nanos / 125_000, accepting: accepting))
    }

    /// Ends the recording at monotonic `nanos` (a BYE read then) and closes the stream at its end, as
    /// the capture thread does once the source has delivered what arrived before it.
    @discardableResult
    public func end(atNanos nanos: Int64) -> [Int16] {
        close(at: reassembler.end(atNanos: nanos, position: nanos / 125_000))
    }

    /// From `position` on (as the capture thread would get it from the control plane), the stream
    /// records or not.
    public func schedule(accepting: Bool, at position: Int64) {
        reassembler.schedule(AdmissionGate.Edge(nanos: position * 125_000, position: position, accepting: accepting))
    }

    /// Reads everything released so far.
    public func drain() {
        let ring = reassembler.ring
        while true {
            let available = Int(min(reassembler.readable(consumer: ring.consumed), Int64(scratch.count)))
            guard available > 0 else { return }
            scratch.withUnsafeMutableBufferPointer { ring.read(into: $0.baseAddress!, count: available) }
            output.append(contentsOf: scratch[0..<available])
        }
    }

    /// Closes the stream at `end` and drains until everything up to it has been read.
    @discardableResult
    public func close(at end: Int64) -> [Int16] {
        move(to: end)
        draining = true
        while !reassembler.close(at: end) { drain() }
        drain()
        return output
    }

    /// Plays a whole script: every datagram at its arrival, `beforeEach` just before each one
    /// (to pause, renegotiate…), then closes at `end` and returns the timeline.
    public func run(_ datagrams: [RTPStreamScript.Datagram], closeAt end: Int64,
                    beforeEach: (RTPStreamScript.Datagram) -> Void = { _ in }) -> [Int16] {
        for datagram in datagrams {
            move(to: datagram.arrival)
            beforeEach(datagram)
            receive(datagram.bytes, at: datagram.arrival)
        }
        return close(at: end)
    }

    /// The stream's counters now.
    public var statistics: StreamStatistics { StreamStatistics(reassembler.counters) }
}
