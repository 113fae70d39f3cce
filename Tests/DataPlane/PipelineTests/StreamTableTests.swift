import MediaCore
import Testing
import TestSupport
import Wire
@testable import Pipeline

@Suite("Stream table (capture-side lookup)")
struct StreamTableTests {
    static func stream() -> MediaStream {
        try! MediaStream(label: nil, mLineIndex: 0, role: .caller, channel: 0,
                    payloads: StreamPayloads(audioPayloadType: 0, codec: .pcmu),
                    timing: ReassemblyTiming(ringCapacity: 1024), originNanos: 0, socket: nil)
    }

    @Test("100,000 calls coming and going keep every lookup right: the table matches a dictionary throughout")
    func churn() {
        var table = StreamTable(capacity: 512)
        var model: [EndpointKey: MediaStream] = [:]
        // Seeded: a failing sequence replays the same way.
        var generator = SeededGenerator(seed: 0x5EED_7AB1E)
        var live: [EndpointKey] = []
        for _ in 0..<100_000 {
            if live.count < 200 || (live.count < 400 && Bool.random(using: &generator)) {
                let key = EndpointKey(ipv4: UInt32.random(in: 0x0A00_0000...0x0AFF_FFFF, using: &generator),
                                      port: UInt16.random(in: 10_000...60_000, using: &generator))
                guard model[key] == nil else { continue }
                let stream = Self.stream()
                let inserted = table.insert(stream, for: key)
                #expect(inserted)
                model[key] = stream
                live.append(key)
            } else {
                let index = Int.random(in: 0..<live.count, using: &generator)
                live.swapAt(index, live.count - 1)
                let key = live.removeLast()
                table.remove(key, ifPointingAt: model[key]!)
                model[key] = nil
            }
        }
        #expect(table.count == model.count)
        for (key, stream) in model { #expect(table.stream(for: key) === stream) }
        let absent = EndpointKey(ipv4: 0xC000_0201, port: 9)
        #expect(table.stream(for: absent) == nil)
    }

    @Test("a socket-bound stream (wildcard address) is found by any destination address with its port")
    func wildcardFallback() {
        var table = StreamTable(capacity: 16)
        let stream = Self.stream()
        let inserted = table.insert(stream, for: .anyAddress(port: 20_000))
        #expect(inserted)
        #expect(table.stream(for: EndpointKey(ipv4: 0x7F00_0001, port: 20_000)) === stream)
        #expect(table.stream(for: EndpointKey(ipv4: 0x7F00_0001, port: 20_002)) == nil)
        table.remove(.anyAddress(port: 20_000), ifPointingAt: stream)
        #expect(table.stream(for: EndpointKey(ipv4: 0x7F00_0001, port: 20_000)) == nil)
    }

    @Test("a full table refuses a new stream instead of growing")
    func full() {
        var table = StreamTable(capacity: 32)
        var accepted = 0
        for port in 0..<200 where table.insert(Self.stream(), for: .anyAddress(port: UInt16(port))) { accepted += 1 }
        #expect(accepted == 32)
    }
}
