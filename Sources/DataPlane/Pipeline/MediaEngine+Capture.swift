#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Capture
import MediaCore
import SystemLayer
import Wire

extension MediaEngine: PacketSink {
    /// The capture thread: poll, place each datagram, release audio to the encoder every few ms.
    func captureLoop() {
        var lastAdvance: Int64 = 0
        // Fault injection for the watchdog test: SIPRECD_FAULT_STALL_CAPTURE_MS=N stalls this thread after N ms.
        let stallAt = getenv("SIPRECD_FAULT_STALL_CAPTURE_MS").flatMap { Int64(String(cString: $0)) }.map { monotonicNanos() + $0 * 1_000_000 }
        while running.load(ordering: .relaxed) {
            if let stallAt, monotonicNanos() > stallAt {
                var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
                nanosleep(&pause, nil)
                continue
            }
            drainCaptureCommands()
            source.poll(timeoutMillis: wakeIntervalMillis, sink: self)
            let now = monotonicNanos()
            if now - lastAdvance >= MediaEngine.releaseIntervalNanos {
                lastAdvance = now
                // The source's word, bounded: an edge or end waits at most half a second for it.
                advanceAll(now: now, horizon: max(source.completeThroughNanos, now - MediaEngine.horizonLimitNanos))
            }
            captureLoops.wrappingAdd(1, ordering: .relaxed)
        }
    }

    /// PacketSink: one datagram, on the capture thread.
    public func deliver(_ destination: EndpointKey, _ source: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64) {
        deliver(destination: destination, source: source, bytes: payload, now: arrivalNanos)
    }

    @inline(__always)
    private func deliver(destination: EndpointKey, source: EndpointKey, bytes: UnsafeRawBufferPointer, now: Int64) {
        guard let stream = streamTable.stream(for: destination) else {
            unknownStreamPackets.wrappingAdd(1, ordering: .relaxed)
            unclaimedArrivals.record(port: destination.port, nanos: now)
            return
        }
        stream.receive(bytes, from: source, nowNanos: now, scratch: packetScratch)
    }

    private func drainCaptureCommands() {
        guard let commands = captureQueue.withLockIfAvailable({ queue -> [CaptureCommand]? in
            guard !queue.isEmpty else { return nil }
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }), let commands else { return }
        for command in commands {
            switch command {
            case .openSockets(let sockets):
                for socket in sockets { source.add(socket) }
            case .closeSockets(let sockets):
                for socket in sockets { source.remove(socket) }
            case .attach(let pipeline, let applied):
                capturing.append(pipeline)
                for stream in pipeline.streams { register(stream) }
                applied?()
            case .setAccepting(let stream, let accepting, let nanos):
                stream.schedule(accepting: accepting, atNanos: nanos)
            case .setPayloads(let stream, let payloads, let decoders):
                stream.reassembler.renegotiate(payloads.keeping(stream.reassembler.payloads), decoders: decoders)
                stream.reopenSender()
            }
        }
    }

    private func register(_ stream: MediaStream) {
        if let key = stream.key, !streamTable.insert(stream, for: key) {
            tableFull.wrappingAdd(1, ordering: .relaxed)
        }
    }

    private func unregister(_ stream: MediaStream) {
        // Read what is queued before the stream lets go; the socket itself belongs to the session.
        if let socket = stream.socket, socket.descriptor >= 0 {
            source.drain(socket) { destination, sender, bytes, arrival in deliver(destination: destination, source: sender, bytes: bytes, now: arrival) }
        }
        stream.socket = nil
        if let key = stream.key { streamTable.remove(key, ifPointingAt: stream) }
    }

    /// Releases audio on every live stream and closes the recordings whose end was asked for, once the
    /// source has delivered everything that arrived before the end (`horizon`: a pcap block the kernel
    /// had not retired yet still holds the SRC's last packet before its BYE).
    private func advanceAll(now: Int64, horizon: Int64) {
        var index = 0
        while index < capturing.count {
            let pipeline = capturing[index]
            let endNanos = pipeline.endRequestNanos.load(ordering: .acquiring)
            if endNanos == 0 || (endNanos > horizon && running.load(ordering: .relaxed)) {
                pipeline.advanceCapture(nowNanos: now, horizonNanos: horizon)
                index += 1
            } else if close(pipeline, endNanos: endNanos) {
                capturing.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Reads what is queued and stops taking packets for the recording, then releases its streams to
    /// the end. Returns false while a ring still waits for the encoder.
    private func close(_ pipeline: RecordingPipeline, endNanos: Int64) -> Bool {
        if pipeline.endPosition.load(ordering: .relaxed) < 0 {
            for stream in pipeline.streams { unregister(stream) }
            for socket in pipeline.socketsToClose { source.remove(socket) }
        }
        return pipeline.closeCapture(endNanos: endNanos)
    }
}
