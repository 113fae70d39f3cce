#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a capture file could not be written.
public enum PcapWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be created; `errno` says why.
    case cannotOpen(path: String, errno: Int32)
    /// Fewer bytes were written than the capture holds (disk full, I/O error).
    case shortWrite(path: String, written: Int, expected: Int)

    public var description: String {
        switch self {
        case let .cannotOpen(path, code):
            "cannot create capture file \(path): \(String(cString: strerror(code)))"
        case let .shortWrite(path, written, expected):
            "capture file \(path) is incomplete: wrote \(written) of \(expected) bytes"
        }
    }
}

/// Writing a finished capture to disk.
enum PcapFile {
    static func write(_ bytes: [UInt8], to path: String) throws(PcapWriteError) {
        guard let file = fopen(path, "wb") else { throw .cannotOpen(path: path, errno: errno) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file) == 0
        guard written == bytes.count, closed else {
            throw .shortWrite(path: path, written: written, expected: bytes.count)
        }
    }
}
