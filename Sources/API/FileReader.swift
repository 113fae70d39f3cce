#if canImport(Glibc)
import Glibc
#endif

/// Reads recording files for download in fixed chunks.
enum FileReader {
    static func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Calls `body` with successive chunks of the file; stops early when it returns false.
    static func chunks(of path: String, size: Int = 64 * 1024, _ body: ([UInt8]) async throws -> Void) async throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError(path: path) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, size) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            try await body(Array(buffer[0..<n]))
        }
    }
}

struct FileReadError: Error {
    var path: String
}
