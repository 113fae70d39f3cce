import HTTPClient
import Config
import Daemon

/// Asks the running server over its API (`siprecd status`, `siprecd doctor`); nil when it does not answer.
enum ServerProbe {
    static func get(_ api: HostPort, path: String) -> BlockingHTTP.Response? {
        let host = api.host == "0.0.0.0" ? "127.0.0.1" : (api.host == "::" ? "::1" : api.host)
        return try? BlockingHTTP.request(method: "GET", target: BlockingHTTP.Target(host: host, port: api.port, path: path),
                                         timeoutMillis: 3_000)
    }
}
