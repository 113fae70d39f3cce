import LibCrypto
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

/// One blocking HTTP/1.1 request per connection (`Connection: close`): webhook delivery on its own thread,
/// and `siprecd status`/`doctor` asking the running server. Never used on an event loop.
public enum BlockingHTTP {
    public struct Target: Sendable {
        public var host: String
        public var port: Int
        public var path: String
        /// https: TLS with the server's certificate verified.
        public var tls = false
        /// CA certificates (PEM) to verify the server against instead of the system's.
        public var caFile: String?
        /// Connect to this Unix socket instead of host:port (siprecd's control socket).
        public var unixSocket: String?

        public init(host: String, port: Int, path: String) {
            self.host = host
            self.port = port
            self.path = path
        }

        /// A request over a Unix socket; `Host: localhost`.
        public init(unixSocket: String, path: String) {
            host = "localhost"
            port = 0
            self.path = path
            self.unixSocket = unixSocket
        }

        public init?(url: String) {
            let secure = url.hasPrefix("https://")
            guard secure || url.hasPrefix("http://") else { return nil }
            tls = secure
            let rest = url.dropFirst(secure ? 8 : 7)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            if let colon = authority.lastIndex(of: ":"), !authority.hasPrefix("[") || authority[..<colon].hasSuffix("]") {
                guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
                host = String(authority[..<colon]).trimmingCharacters(in: "[]")
                port = p
            } else {
                host = String(authority).trimmingCharacters(in: "[]")
                port = secure ? 443 : 80
            }
            guard !host.isEmpty else { return nil }
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// Response headers, names in lower case.
        public var headers: [String: String] = [:]
    }

    /// Posts a JSON `body` to an http:// URL; returns the HTTP status.
    public static func post(url: String, body: String, headers: [(String, String)], timeoutMillis: Int = 5_000) throws(PostError) -> Int {
        guard let target = Target(url: url) else { throw PostError(message: "not an http:// URL: \(url)") }
        return try request(method: "POST", target: target, body: body,
                           headers: [("Content-Type", "application/json")] + headers, timeoutMillis: timeoutMillis).status
    }

    /// Sends one request and reads the whole response (until the server closes, at most 4 MB).
    public static func request(method: String, target: Target, body: String = "", headers: [(String, String)] = [],
                               timeoutMillis: Int = 5_000) throws(PostError) -> Response {
        try request(method: method, target: target, bytes: Array(body.utf8), headers: headers, timeoutMillis: timeoutMillis)
    }

    /// The same with a binary body (uploads).
    public static func request(method: String, target: Target, bytes payload: [UInt8], headers: [(String, String)] = [],
                               timeoutMillis: Int = 5_000) throws(PostError) -> Response {
        // One deadline for the whole exchange: a peer that accepts and then answers a byte at a time (or
        // never) cannot hold the caller longer than `timeoutMillis`.
        let deadline = Deadline(millis: timeoutMillis)
        let fd = try connected(target, timeoutMillis: timeoutMillis)
        defer { close(fd) }
        func timedOut() -> PostError {
            PostError(message: "no answer from \(target.host):\(target.port) within \(timeoutMillis) ms (timed out)")
        }
        var session: TLSConnection?
        if target.tls {
            guard deadline.arm(fd) else { throw timedOut() }
            do {
                session = try TLSConnection(descriptor: fd, host: target.host, caFile: target.caFile)
            } catch {
                throw PostError(message: error.message)
            }
        }
        defer { session?.close() }
        let hostHeader = target.unixSocket != nil ? "localhost" : target.host.contains(":") ? "[\(target.host)]:\(target.port)" : "\(target.host):\(target.port)"
        // A caller may name another Host than the address it connects to (S3 virtual-host style).
        let host = headers.first { $0.0.lowercased() == "host" }?.1 ?? hostHeader
        var head = "\(method) \(target.path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\nUser-Agent: siprecd\r\n"
        if method != "GET" || !payload.isEmpty { head += "Content-Length: \(payload.count)\r\n" }
        for (name, value) in headers where name.lowercased() != "host" { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + payload
        if let session {
            guard bytes.withUnsafeBytes({ session.write($0) }) else { throw PostError(message: "TLS send to \(target.host) failed") }
        } else {
            var sent = 0
            while sent < bytes.count {
                guard deadline.arm(fd) else { throw timedOut() }
                let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw PostError(message: "send: \(String(cString: strerror(errno)))") }
                sent += n
            }
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while response.count < 4 << 20 {
            guard deadline.arm(fd) else { throw timedOut() }
            let n = chunk.withUnsafeMutableBytes { buffer in session.map { $0.read(into: buffer) } ?? recv(fd, buffer.baseAddress, buffer.count, 0) }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK { throw timedOut() }
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw PostError(message: "no HTTP response from \(target.host):\(target.port)")
        }
        let split = text.firstRange(of: "\r\n\r\n")
        let bodyText = split.map { String(text[$0.upperBound...]) } ?? ""
        var headers: [String: String] = [:]
        for line in text[..<(split?.lowerBound ?? text.endIndex)].split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t")
        }
        return Response(status: status, body: bodyText, headers: headers)
    }

    /// A connected stream socket to the target (TCP, or its Unix socket), with send and receive timeouts.
    static func connected(_ target: Target, timeoutMillis: Int) throws(PostError) -> Int32 {
        var timeout = timeval(tv_sec: timeoutMillis / 1000, tv_usec: (timeoutMillis % 1000) * 1000)
        func withTimeouts(_ fd: Int32) -> Int32 {
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        if let path = target.unixSocket {
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw PostError(message: "socket path too long: \(path)") }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let fd = withTimeouts(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0))
            guard fd >= 0 else { throw PostError(message: "socket: \(String(cString: strerror(errno)))") }
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard status == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw PostError(message: "connect \(path): \(reason)")
            }
            return fd
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &result) == 0, let info = result else {
            throw PostError(message: "cannot resolve \(target.host)")
        }
        defer { freeaddrinfo(result) }
        let fd = withTimeouts(socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol))
        guard fd >= 0 else { throw PostError(message: "socket: \(String(cString: strerror(errno)))") }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            // With SO_SNDTIMEO set, a connect the peer never answers ends in EINPROGRESS.
            let reason = errno == EINPROGRESS || errno == EAGAIN
                ? "no answer within \(timeoutMillis) ms (timed out)" : String(cString: strerror(errno))
            close(fd)
            throw PostError(message: "connect \(target.host):\(target.port): \(reason)")
        }
        return fd
    }

    /// The end of an exchange on the monotonic clock.
    struct Deadline {
        let end: Int64

        init(millis: Int) {
            end = Deadline.nowNanos() + Int64(millis) * 1_000_000
        }

        static func nowNanos() -> Int64 { monotonicNanos() }

        /// Sets the socket's send and receive timeouts to what is left; false when nothing is.
        func arm(_ fd: Int32) -> Bool {
            let left = end - Deadline.nowNanos()
            guard left > 0 else { return false }
            var timeout = timeval(tv_sec: Int(left / 1_000_000_000), tv_usec: Int(left % 1_000_000_000 / 1_000) + 1)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return true
        }
    }

    public struct PostError: Error, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
