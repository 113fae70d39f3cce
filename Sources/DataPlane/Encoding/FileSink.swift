import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// An error from the encoders or the files they write.
public struct EncodingError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable { case open, write, lame }
    public var code: Code
    public var message: String
    public var description: String { message }
}

/// An append-only file with positioned rewrites of its header; the one owner of its descriptor.
/// Every call retries EINTR and throws with the path and errno text otherwise.
public final class FileSink {
    public let path: String
    private var descriptor: Int32
    public private(set) var size: Int64 = 0

    /// Creates (truncating) the file, with mode 0640.
    public init(creating path: String) throws(EncodingError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw EncodingError(code: .open, message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Appends all bytes.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(EncodingError) {
        try writeAll(bytes, at: nil)
        size += Int64(bytes.count)
    }

    /// Appends an array's bytes (headers; not for the audio path).
    public func append(_ bytes: [UInt8]) throws(EncodingError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(EncodingError) in try append(raw) } }.get()
    }

    /// Rewrites an array's bytes at an offset (header patches).
    public func overwrite(_ bytes: [UInt8], at offset: Int64) throws(EncodingError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(EncodingError) in try overwrite(raw, at: offset) } }.get()
    }

    /// Rewrites bytes at an offset without moving the append position.
    public func overwrite(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(EncodingError) {
        try writeAll(bytes, at: offset)
    }

    /// Flushes to stable storage and closes the descriptor.
    public func close() throws(EncodingError) {
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        _ = fsync(fd)
        if Glibc.close(fd) != 0 {
            throw EncodingError(code: .write, message: "closing \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int64?) throws(EncodingError) {
        guard descriptor >= 0 else { throw EncodingError(code: .write, message: "\(path) is already closed") }
        do {
            try FileIO.writeAll(descriptor, bytes, at: offset)
        } catch {
            throw EncodingError(code: .write, message: "writing \(path): \(error)")
        }
    }
}
