import Testing
@testable import Wire

@Suite("TCP stream reassembly")
struct TCPStreamReassemblerTests {
    let flow = TCPFlowKey(source: alice, destination: bob)
    let message = Array("INVITE sip:srs@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n".utf8)

    @Test("A SIP message split across three segments arrives whole after the handshake")
    func splitMessage() {
        var tcp = TCPStreamReassembler()
        #expect(tcp.add(flow: flow, sequence: 1000, flags: .syn, payload: []).isEmpty)
        var stream: [UInt8] = []
        let parts = [message[0..<10], message[10..<30], message[30...]]
        var sequence: UInt32 = 1001
        for part in parts {
            stream += tcp.add(flow: flow, sequence: sequence, flags: .ack, payload: Array(part))
            sequence += UInt32(part.count)
        }
        #expect(stream == message)
    }

    @Test("Out-of-order segments are held back until the gap fills")
    func outOfOrder() {
        var tcp = TCPStreamReassembler()
        _ = tcp.add(flow: flow, sequence: 99, flags: .syn, payload: [])
        #expect(tcp.add(flow: flow, sequence: 120, flags: .ack, payload: Array(message[20..<40])).isEmpty)
        #expect(tcp.add(flow: flow, sequence: 140, flags: .ack, payload: Array(message[40...])).isEmpty)
        #expect(tcp.add(flow: flow, sequence: 100, flags: .ack, payload: Array(message[0..<20])) == message)
    }

    @Test("Retransmitted and overlapping bytes are delivered once")
    func retransmissions() {
        var tcp = TCPStreamReassembler()
        var stream = tcp.add(flow: flow, sequence: 5000, flags: .ack, payload: Array(message[0..<20])) // mid-stream start
        stream += tcp.add(flow: flow, sequence: 5000, flags: .ack, payload: Array(message[0..<20]))   // retransmission
        stream += tcp.add(flow: flow, sequence: 5010, flags: .ack, payload: Array(message[10..<35]))  // overlap
        stream += tcp.add(flow: flow, sequence: 5040, flags: .ack, payload: Array(message[40...]))    // future
        stream += tcp.add(flow: flow, sequence: 5030, flags: .ack, payload: Array(message[30..<45]))  // overlaps both sides
        #expect(stream == message)
    }

    @Test("The stream continues across the 32-bit sequence wrap")
    func sequenceWrap() {
        var tcp = TCPStreamReassembler()
        let start: UInt32 = 0xFFFF_FFF0
        var stream = tcp.add(flow: flow, sequence: start, flags: .ack, payload: Array(message[0..<10]))
        stream += tcp.add(flow: flow, sequence: start &+ 25, flags: .ack, payload: Array(message[25...]))
        stream += tcp.add(flow: flow, sequence: start &+ 10, flags: .ack, payload: Array(message[10..<25]))
        #expect(stream == message)
    }

    @Test("FIN closes a flow once its data is complete, RST at once, and a new SYN starts afresh")
    func closing() {
        var tcp = TCPStreamReassembler()
        _ = tcp.add(flow: flow, sequence: 0, flags: .syn, payload: [])
        #expect(tcp.add(flow: flow, sequence: 1, flags: [.fin, .ack], payload: [1, 2]) == [1, 2])
        #expect(!tcp.isTracking(flow) && tcp.counters.flowsClosed == 1)
        _ = tcp.add(flow: flow, sequence: 500, flags: .syn, payload: [])
        #expect(tcp.add(flow: flow, sequence: 503, flags: [.fin, .ack], payload: [9]).isEmpty)
        #expect(tcp.isTracking(flow), "FIN waits for the missing bytes")
        #expect(tcp.add(flow: flow, sequence: 501, flags: .ack, payload: [7, 8]) == [7, 8, 9])
        #expect(!tcp.isTracking(flow))
        _ = tcp.add(flow: flow, sequence: 1, flags: .ack, payload: [1])
        _ = tcp.add(flow: flow, sequence: 0, flags: .rst, payload: [])
        #expect(!tcp.isTracking(flow) && tcp.counters.flowsClosed == 3)
    }

    @Test("Buffering and flow count are bounded: excess is dropped, the least active flow evicted")
    func bounds() {
        var tcp = TCPStreamReassembler(maxFlows: 2, maxBufferedBytesPerFlow: 100)
        _ = tcp.add(flow: flow, sequence: 0, flags: .ack, payload: [0])
        #expect(tcp.add(flow: flow, sequence: 50, flags: .ack, payload: Array(repeating: 1, count: 60)).isEmpty)
        #expect(tcp.counters.segmentsDropped == 1)
        for port in UInt16(1)...2 {
            _ = tcp.add(flow: TCPFlowKey(source: alice, destination: EndpointKey(ipv4: 1, port: port)),
                        sequence: 0, flags: .ack, payload: [1])
        }
        #expect(tcp.flowCount == 2 && tcp.counters.flowsEvicted == 1 && !tcp.isTracking(flow))
    }
}
