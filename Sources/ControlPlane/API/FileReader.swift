import SystemLayer
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

    /// Calls `body` with successive chunks of the file's first `length` bytes. A read error, or a file that
    /// ends before `length` (it shrank since its size was sent), throws: a download is never cut short
    /// silently (the server then closes the connection, so the client sees an incomplete transfer).
    static func chunks(of path: String, length: Int64, size: Int = 64 * 1024, _ body: ([UInt8]) async throws -> Void) async throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError(path: path, reason: "\(Errno.current)") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: size)
        var sent: Int64 = 0
        while sent < length {
            let want = Int(min(Int64(size), length - sent))
            let n: Int
            do {
                n = try FileIO.readFully(fd, into: &buffer, count: want)
            } catch {
                throw FileReadError(path: path, reason: "read failed after \(sent) bytes: \(error)")
            }
            guard n == want else {
                throw FileReadError(path: path, reason: "the file ended after \(sent + Int64(n)) of \(length) bytes")
            }
            try await body(Array(buffer[0..<n]))
            sent += Int64(n)
        }
    }
}

struct FileReadError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
