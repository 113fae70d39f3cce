import Synchronization
import Capture
import MediaCore

extension MediaEngine {
    /// The capture thread: poll, place each datagram, release audio to the encoder every few ms.
    func captureLoop() {
        var lastAdvance: Int64 = 0
        while running.load(ordering: .relaxed) {
            drainCaptureCommands()
            source.poll(timeoutMillis: wakeIntervalMillis) { port, bytes in
                deliver(port: port, bytes: bytes, now: monotonicNanos())
            }
            let now = monotonicNanos()
            if now - lastAdvance >= 5_000_000 {
                lastAdvance = now
                advanceAll(now: now)
            }
            captureLoops.wrappingAdd(1, ordering: .relaxed)
        }
    }

    @inline(__always)
    private func deliver(port: Int, bytes: UnsafeRawBufferPointer, now: Int64) {
        let index = port - portLow
        guard index >= 0, index < portTable.count, let stream = portTable[index] else {
            unknownStreamPackets.wrappingAdd(1, ordering: .relaxed)
            return
        }
        stream.reassembler.receive(bytes, arrival: stream.position(atNanos: now), arrivalNanos: now)
    }

    private func drainCaptureCommands() {
        guard let commands = captureQueue.withLockIfAvailable({ queue -> [CaptureCommand]? in
            guard !queue.isEmpty else { return nil }
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }), let commands else { return }
        for command in commands {
            switch command {
            case .attach(let pipeline):
                capturing.append(pipeline)
                for stream in pipeline.streams { register(stream) }
            case .setAccepting(let stream, let accepting):
                stream.reassembler.isAccepting = accepting
            case .setPayloads(let stream, let payloads):
                stream.reassembler.payloads = payloads
            case .replaceSocket(let stream, let socket):
                unregister(stream)
                stream.socket = socket
                register(stream)
            }
        }
    }

    private func register(_ stream: MediaStream) {
        guard let socket = stream.socket else { return }
        let index = socket.port - portLow
        if index >= 0, index < portTable.count { portTable[index] = stream }
        source.add(socket)
    }

    private func unregister(_ stream: MediaStream) {
        guard let socket = stream.socket else { return }
        source.drain(socket) { port, bytes in deliver(port: port, bytes: bytes, now: monotonicNanos()) }
        let index = socket.port - portLow
        if index >= 0, index < portTable.count, portTable[index] === stream { portTable[index] = nil }
        source.remove(socket)
        stream.socket = nil
    }

    /// Releases audio on every live stream and closes the recordings whose end was asked for.
    private func advanceAll(now: Int64) {
        var index = 0
        while index < capturing.count {
            let pipeline = capturing[index]
            let endNanos = pipeline.endRequestNanos.load(ordering: .acquiring)
            if endNanos == 0 {
                for stream in pipeline.streams { stream.reassembler.advance(now: stream.position(atNanos: now)) }
                index += 1
            } else if close(pipeline, endNanos: endNanos) {
                capturing.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Reads what is queued, then releases every stream to the recording's end. The end is the later of
    /// the requested instant and the furthest audio placed, so every channel has the same length.
    /// Returns false while a ring still waits for the encoder to make room.
    private func close(_ pipeline: RecordingPipeline, endNanos: Int64) -> Bool {
        var end = pipeline.endPosition.load(ordering: .relaxed)
        if end < 0 {
            for stream in pipeline.streams { unregister(stream) }
            end = (endNanos - pipeline.originNanos) / 125_000
            for stream in pipeline.streams { end = max(end, stream.reassembler.ring.highestEnd) }
            pipeline.endPosition.store(end, ordering: .relaxed)
        }
        var done = true
        for stream in pipeline.streams where !stream.reassembler.close(at: end) { done = false }
        if done { pipeline.captureClosed.store(true, ordering: .releasing) }
        return done
    }
}
