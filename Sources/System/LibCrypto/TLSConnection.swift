import COpenSSL

/// A verified TLS client session over a connected socket (libssl): certificate chain to the given CA file
/// or the system's, and the host name (or IP) checked. The one owner of its `SSL`, freed on close/deinit.
public final class TLSConnection {
    private var ssl: OpaquePointer?

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Handshakes on `descriptor` (connected; the caller keeps owning and closing it).
    public init(descriptor: Int32, host: String, caFile: String?) throws(Failure) {
        var error = [CChar](repeating: 0, count: 256)
        let isIP = host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        guard let session = siprecd_tls_connect(descriptor, host, isIP ? 1 : 0, caFile, &error, Int32(error.count)) else {
            throw Failure(message: "TLS to \(host): " + String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        ssl = session
    }

    deinit { close() }

    /// Writes all of `bytes`; false on an error.
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let ssl else { return false }
        var done = 0
        while done < bytes.count {
            let n = siprecd_tls_write(ssl, bytes.baseAddress! + done, Int32(min(bytes.count - done, 1 << 20)))
            guard n > 0 else { return false }
            done += Int(n)
        }
        return true
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the stream, negative on an error.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let ssl else { return -1 }
        return Int(siprecd_tls_read(ssl, buffer.baseAddress, Int32(buffer.count)))
    }

    public func close() {
        if let ssl { siprecd_tls_close(ssl) }
        ssl = nil
    }
}
