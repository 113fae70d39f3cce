import NIOCore
import NIOEmbedded
import SIPCore
import Testing
@testable import Signalling

@Suite("RFC 5923 connection aliases")
struct ConnectionAliasesTests {
    static func flow(_ transport: SIPFlow.Transport, from ip: String, port: Int = 40_000) throws -> (SIPFlow, EmbeddedChannel) {
        let channel = EmbeddedChannel()
        let remote = try SocketAddress(ipAddress: ip, port: port)
        try channel.connect(to: remote).wait()
        return (SIPFlow(transport: transport, remote: remote, channel: channel), channel)
    }

    static func request(via: String) throws -> SIPMessage {
        try SIPParser.parse(Array("OPTIONS sip:srs@10.0.0.2 SIP/2.0\r\nVia: \(via)\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n".utf8))
    }

    @Test("an SRC's alias serves requests to its sent-by address (default port by transport) until the connection closes")
    func offeredAndForgotten() throws {
        var aliases = ConnectionAliases()
        let (flow, channel) = try Self.flow(.tcp, from: "10.0.0.1")
        aliases.note(try Self.request(via: "SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK-1;alias"), flow: flow)
        #expect(aliases.flow(.tcp, host: "10.0.0.1", port: 5_060)?.channel === channel)
        #expect(aliases.flow(.tls, host: "10.0.0.1", port: 5_060) == nil)
        aliases.forget(channel)
        #expect(aliases.flow(.tcp, host: "10.0.0.1", port: 5_060) == nil)
    }

    @Test("no alias parameter, another transport, or a sent-by host that is not the connection's own: nothing is noted")
    func refused() throws {
        var aliases = ConnectionAliases()
        let (flow, _) = try Self.flow(.tcp, from: "10.0.0.1")
        aliases.note(try Self.request(via: "SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK-1"), flow: flow)
        aliases.note(try Self.request(via: "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;alias"), flow: flow)
        // One SRC cannot claim another's requests (RFC 5923 §9).
        aliases.note(try Self.request(via: "SIP/2.0/TCP 10.0.0.9:5070;branch=z9hG4bK-1;alias"), flow: flow)
        #expect(aliases.count == 0)
        let (udp, _) = try Self.flow(.udp, from: "10.0.0.1")
        aliases.note(try Self.request(via: "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;alias"), flow: udp)
        #expect(aliases.count == 0)
    }

    @Test("a closed aliased connection is not handed out, and is dropped when looked up")
    func closed() throws {
        var aliases = ConnectionAliases()
        let (flow, channel) = try Self.flow(.tls, from: "10.0.0.1")
        aliases.note(try Self.request(via: "SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK-1;alias"), flow: flow)
        #expect(aliases.flow(.tls, host: "10.0.0.1", port: 5_061) != nil)
        _ = try channel.close().wait()
        #expect(aliases.flow(.tls, host: "10.0.0.1", port: 5_061) == nil)
        #expect(aliases.count == 0)
    }
}
