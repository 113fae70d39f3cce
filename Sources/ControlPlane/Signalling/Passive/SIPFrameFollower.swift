import SIPCore
import Wire

/// Turns captured frames into SIP messages, for passive mode and replay: UDP datagrams (IPv4 fragments
/// reassembled first) and TCP byte streams (reordered, retransmissions removed, framed by
/// Content-Length). Control-plane work: allocation here is per SIP message, not per RTP packet.
public struct SIPFrameFollower {
    var fragments = IPv4FragmentReassembler()
    var tcp = TCPStreamReassembler()
    var framers: [TCPFlowKey: SIPStreamFramer] = [:]
    /// Datagrams or streams that looked like SIP but did not parse.
    public private(set) var unparsable = 0
    /// TCP connections that carry TLS (SIP over TLS): nothing in them can be read from a capture.
    var tlsFlows: Set<TCPFlowKey> = []
    /// Client → server address pairs seen speaking TLS, each reported once (see `takeTLSSightings`).
    var tlsPairs: Set<TLSSighting> = []
    var newTLSSightings: [TLSSighting] = []
    /// TCP connections seen carrying TLS.
    public private(set) var tlsConnections = 0

    /// SIP over TLS between a client (its address) and a server (address and port): its sessions, and the
    /// SDES keys of their SRTP, cannot be read from a capture.
    public struct TLSSighting: Hashable, Sendable, CustomStringConvertible {
        public var client: String
        public var server: String
        public var description: String { "\(client) → \(server)" }
    }

    /// A SIP message with the addresses it travelled between.
    public struct Observed: Sendable {
        public var message: SIPMessage
        public var source: EndpointKey
        public var destination: EndpointKey
    }

    public init() {}

    /// A complete UDP datagram: a SIP message if it is one.
    public mutating func udp(source: EndpointKey, destination: EndpointKey, payload: UnsafeRawBufferPointer) -> Observed? {
        guard SIPFrameFollower.looksLikeSIP(payload) else { return nil }
        guard let message = try? SIPParser.parse(Array(payload)) else {
            unparsable += 1
            return nil
        }
        return Observed(message: message, source: source, destination: destination)
    }

    /// A decoded frame's payload — an IPv4 fragment, a UDP datagram or a TCP segment: the SIP messages it
    /// completes.
    public mutating func follow(_ packet: DecodedPacket, payload: UnsafeRawBufferPointer, nanos: Int64) -> [Observed] {
        if packet.fragment != nil { return fragment(packet, payload: payload, nanos: nanos).map { [$0] } ?? [] }
        if packet.transport == .udp { return udp(source: packet.source, destination: packet.destination, payload: payload).map { [$0] } ?? [] }
        return tcpSegment(packet, payload: payload)
    }

    /// An IPv4 fragment: the SIP message once its datagram is complete.
    public mutating func fragment(_ packet: DecodedPacket, payload: UnsafeRawBufferPointer, nanos: Int64) -> Observed? {
        guard let fragment = packet.fragment,
              let datagram = fragments.add(fragment, source: packet.source, destination: packet.destination,
                                           payload: payload, timeNanos: nanos),
              let reassembled = IPv4FragmentReassembler.udp(fromReassembled: datagram)
        else { return nil }
        return reassembled.payload.withUnsafeBytes { udp(source: reassembled.source, destination: reassembled.destination, payload: $0) }
    }

    /// A TCP segment: every SIP message it completes.
    public mutating func tcpSegment(_ packet: DecodedPacket, payload: UnsafeRawBufferPointer) -> [Observed] {
        let flow = TCPFlowKey(source: packet.source, destination: packet.destination)
        let bytes = tcp.add(flow: flow, sequence: packet.tcpSequence, flags: TCPFlags(rawValue: packet.tcpFlags), payload: payload)
        // Frame what arrived before forgetting a flow that this segment closed (a BYE often rides the FIN).
        defer { if !tcp.isTracking(flow) { framers[flow] = nil; tlsFlows.remove(flow) } }
        guard !bytes.isEmpty else { return [] }
        if tlsFlows.contains(flow) { return [] }
        if framers[flow] == nil, SIPFrameFollower.looksLikeTLS(bytes) {
            noteTLS(flow)
            return []
        }
        var framer = framers[flow] ?? SIPStreamFramer()
        framer.append(bytes)
        var messages: [Observed] = []
        while true {
            do {
                guard let message = try framer.next() else { break }
                messages.append(Observed(message: message, source: packet.source, destination: packet.destination))
            } catch {
                // A stream that cannot be framed any more: start over with the next bytes.
                unparsable += 1
                framer = SIPStreamFramer()
                break
            }
        }
        framers[flow] = framer
        return messages
    }

    /// The TLS connections seen since the last call, one per client and server pair (the first time only).
    public mutating func takeTLSSightings() -> [TLSSighting] {
        defer { newTLSSightings = [] }
        return newTLSSightings
    }

    /// A TLS record header: content type 20–23 (handshake, alert, change cipher spec, application data)
    /// and major version 3 — what a TLS connection's first bytes in either direction are.
    static func looksLikeTLS(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && (20...23).contains(bytes[0]) && bytes[1] == 3 && bytes[2] <= 4
    }

    private mutating func noteTLS(_ flow: TCPFlowKey) {
        let reverse = TCPFlowKey(source: flow.destination, destination: flow.source)
        let known = tlsFlows.contains(reverse)
        if tlsFlows.count >= 4_096 {
            // Keep the connections still open; only a capture with 4,096 open TLS connections starts over.
            tlsFlows = tlsFlows.filter { tcp.isTracking($0) }
            if tlsFlows.count >= 4_096 { tlsFlows.removeAll(keepingCapacity: true) }
        }
        tlsFlows.insert(flow)
        guard !known else { return }
        tlsConnections += 1
        // The server is the side with the lower port when the capture missed the SYN; usually 5061.
        let (client, server) = flow.source.port < flow.destination.port ? (flow.destination, flow.source) : (flow.source, flow.destination)
        let sighting = TLSSighting(client: client.addressString, server: server.description)
        if tlsPairs.count < 1_024, tlsPairs.insert(sighting).inserted { newTLSSightings.append(sighting) }
    }

    /// SIP starts with "SIP/2.0 " (a response) or an upper-case method and a space.
    public static func looksLikeSIP(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard payload.count >= 12 else { return false }
        if payload.starts(with: "SIP/2.0 ".utf8) { return true }
        var index = 0
        while index < min(payload.count, 17), payload[index] >= UInt8(ascii: "A"), payload[index] <= UInt8(ascii: "Z") { index += 1 }
        return index >= 3 && index < payload.count && payload[index] == UInt8(ascii: " ")
    }
}
