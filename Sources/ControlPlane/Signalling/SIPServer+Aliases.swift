import NIOCore
import SIPCore

/// RFC 5923 connection reuse: an SRC that puts `alias` in its Via offers the connection for requests to its
/// sent-by address. siprecd remembers the newest such connection per transport and address, and uses it for
/// a dialog whose own connection has closed before opening a new one to the dialog's Contact.
extension SIPServer {
    /// Key of a connection alias: transport and the sent-by `host:port` (or the Contact's, to look one up).
    static func aliasKey(_ transport: SIPFlow.Transport, host: String, port: Int) -> String {
        "\(transport.rawValue) \(host.lowercased()):\(port)"
    }

    /// A request arrived on a TCP or TLS connection: with `alias` in its top Via, that connection now serves
    /// its sent-by address — only when the sent-by host is the address the connection comes from, so one
    /// SRC cannot claim another's requests (RFC 5923 §9).
    func noteAlias(_ message: SIPMessage, flow: SIPFlow) {
        guard flow.transport.isConnection, message.isRequest, let via = message.via.first, via.parameter("alias") != nil,
              via.transport == flow.transport.rawValue, via.host == flow.remote.ipAddress else { return }
        let port = via.port ?? (flow.transport == .tls ? 5_061 : 5_060)
        let key = SIPServer.aliasKey(flow.transport, host: via.host, port: port)
        if connectionAliases[key] == nil, connectionAliases.count >= SIPServer.maximumAliases { return }
        connectionAliases[key] = flow
    }

    /// An open aliased connection to `host:port` over `transport`, if the SRC offered one.
    func aliasedFlow(_ transport: SIPFlow.Transport, host: String, port: Int) -> SIPFlow? {
        let key = SIPServer.aliasKey(transport, host: host, port: port)
        guard let flow = connectionAliases[key] else { return nil }
        guard flow.channel.isActive else {
            connectionAliases[key] = nil
            return nil
        }
        return flow
    }

    /// A connection closed: its aliases go.
    func forgetAliases(of channel: Channel) {
        guard !connectionAliases.isEmpty else { return }
        for (key, flow) in connectionAliases where flow.channel === channel { connectionAliases[key] = nil }
    }

    /// Aliases kept at most (one per SRC address and transport in practice).
    static let maximumAliases = 4_096
}
