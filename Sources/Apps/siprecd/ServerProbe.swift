import Config
import Daemon
import HTTPClient
import Signatures

#if canImport(Glibc)
import Glibc
#endif

/// Asks the running server (`siprecd status`, `calls`, `doctor`): over the control socket when this user
/// may open it (no credentials needed), else over the API port with `SIPRECD_TOKEN` (a bearer token)
/// or `SIPRECD_BASIC_AUTH` (user:password) when the API wants them.
struct ServerProbe {
    let config: SiprecdConfig

    /// How the last request reached the server, for messages: the socket path or HOST:PORT.
    var via: String {
        if let path = usableSocket { return path }
        return "\(config.api.listen)"
    }

    private var usableSocket: String? {
        guard let path = config.controlSocketPath, access(path, R_OK | W_OK) == 0 else { return nil }
        return path
    }

    /// The response to a GET, or nil when the server does not answer either way.
    func get(_ path: String) -> BlockingHTTP.Response? {
        if let socket = usableSocket,
           let response = try? BlockingHTTP.request(method: "GET", target: BlockingHTTP.Target(unixSocket: socket, path: path),
                                                    timeoutMillis: 3_000) {
            return response
        }
        let api = config.api.listen
        let host = api.host == "0.0.0.0" ? "127.0.0.1" : (api.host == "::" ? "::1" : api.host)
        return try? BlockingHTTP.request(method: "GET", target: BlockingHTTP.Target(host: host, port: api.port, path: path),
                                         headers: ServerProbe.credentials(), timeoutMillis: 3_000)
    }

    /// A CLI error for a server that does not answer.
    var notAnswering: CLIError {
        CLIError("siprecd is not answering on \(config.controlSocketPath.map { "\($0) or " } ?? "")\(config.api.listen) (is it running? see `systemctl status siprecd`)")
    }

    private static func credentials() -> [(String, String)] {
        if let token = getenv("SIPRECD_TOKEN").map({ String(cString: $0) }), !token.isEmpty {
            return [("Authorization", "Bearer \(token)")]
        }
        if let basic = getenv("SIPRECD_BASIC_AUTH").map({ String(cString: $0) }), !basic.isEmpty {
            return [("Authorization", "Basic \(StandardBase64.encode(Array(basic.utf8)))")]
        }
        return []
    }
}
