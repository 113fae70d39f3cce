import Signatures

#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 POST for webhook delivery, run on the delivery thread only (never an event loop).
enum HTTPPoster {
    struct Target {
        var host: String
        var port: Int
        var path: String

        init?(url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst(7)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            if let colon = authority.lastIndex(of: ":"), !authority.hasPrefix("[") || authority[..<colon].hasSuffix("]") {
                guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
                host = String(authority[..<colon]).trimmingCharacters(in: "[]")
                port = p
            } else {
                host = String(authority).trimmingCharacters(in: "[]")
                port = 80
            }
            guard !host.isEmpty else { return nil }
        }
    }

    /// Posts `body`; returns the HTTP status, or throws with the reason it could not be delivered.
    static func post(url: String, body: String, headers: [(String, String)], timeoutSeconds: Int = 5) throws(PostError) -> Int {
        guard let target = Target(url: url) else { throw PostError(message: "not an http:// URL: \(url)") }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &result) == 0, let info = result else {
            throw PostError(message: "cannot resolve \(target.host)")
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw PostError(message: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            throw PostError(message: "connect \(target.host):\(target.port): \(String(cString: strerror(errno)))")
        }
        let payload = Array(body.utf8)
        var request = "POST \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nContent-Type: application/json\r\n"
        request += "Content-Length: \(payload.count)\r\nConnection: close\r\nUser-Agent: siprecd\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        let bytes = Array((request + "\r\n").utf8) + payload
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw PostError(message: "send: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while response.count < 65_536 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
            if response.count >= 12, response.contains(10) { break }
        }
        let line = String(decoding: response.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw PostError(message: "no HTTP response from \(target.host):\(target.port)")
        }
        return status
    }

    struct PostError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
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
