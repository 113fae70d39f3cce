/// A host and port such as `127.0.0.1:5060`, `[::1]:5060` or `localhost:8080`.
///
/// `host` is stored without IPv6 brackets; `description` puts them back. Port 0 is accepted
/// (let the system choose, useful in tests).
public struct HostPort: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// An IPv4 address, an IPv6 address (no brackets) or a host name.
    public var host: String
    /// 0...65535.
    public var port: Int

    /// Creates a host and port without validation.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; IPv6 hosts must be bracketed (`[::1]:5060`). Returns nil when malformed.
    public init?(parsing text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), IPAddress.parse(host)?.count == 16 else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":"), Self.isValidHost(host) else { return nil }
        }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), portText.count <= 5,
              let port = Int(portText), (0...65535).contains(port) else { return nil }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with brackets around IPv6 hosts.
    /// True for 127.0.0.0/8, ::1 and localhost.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A dotted IPv4 address or a DNS name made of letters, digits, `-` and `.`.
    private static func isValidHost(_ host: Substring) -> Bool {
        guard !host.isEmpty, host.count <= 253 else { return false }
        if IPAddress.parse(host) != nil { return true }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard let last = labels.last, !last.allSatisfy(\.isNumber) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
