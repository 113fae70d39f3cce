import NIOCore
import SIPCore

/// RFC 5923 connection reuse: an SRC that puts `alias` in its Via offers the connection for requests to its
/// sent-by address. The newest such connection per transport and address is kept, and used for a dialog
/// whose own connection has closed before a new one to the dialog's Contact is opened.
struct ConnectionAliases {
    private var flows: [String: SIPFlow] = [:]

    /// Aliases kept at most (one per SRC address and transport in practice).
    static let maximum = 4_096

    var count: Int { flows.count }

    /// Key of a connection alias: transport and the sent-by `host:port` (or the Contact's, to look one up).
    static func key(_ transport: SIPFlow.Transport, host: String, port: Int) -> String {
        "\(transport.rawValue) \(host.lowercased()):\(port)"
    }

    /// A request arrived on a TCP or TLS connection: with `alias` in its top Via, that connection now serves
    /// its sent-by address — only when the sent-by host is the address the connection comes from, so one
    /// SRC cannot claim another's requests (RFC 5923 §9).
    mutating func note(_ message: SIPMessage, flow: SIPFlow) {
        guard flow.transport.isConnection, message.isRequest, let via = message.via.first, via.parameter("alias") != nil,
              via.transport == flow.transport.rawValue, via.host == flow.remote.ipAddress else { return }
        let port = via.port ?? (flow.transport == .tls ? 5_061 : 5_060)
        let key = ConnectionAliases.key(flow.transport, host: via.host, port: port)
        if flows[key] == nil, flows.count >= ConnectionAliases.maximum { return }
        flows[key] = flow
    }

    /// An open aliased connection to `host:port` over `transport`, if the SRC offered one.
    mutating func flow(_ transport: SIPFlow.Transport, host: String, port: Int) -> SIPFlow? {
        let key = ConnectionAliases.key(transport, host: host, port: port)
        guard let flow = flows[key] else { return nil }
        guard flow.channel.isActive else {
            flows[key] = nil
            return nil
        }
        return flow
    }

    /// A connection closed: its aliases go.
    mutating func forget(_ channel: Channel) {
        guard !flows.isEmpty else { return }
        for (key, flow) in flows where flow.channel === channel { flows[key] = nil }
    }
}
