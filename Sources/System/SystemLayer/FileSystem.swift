#if canImport(Glibc)
import Glibc
#endif

/// The few file-system calls the daemon makes outside the data plane.
public enum FileSystem {
    /// mkdir -p with mode 0750.
    public static func makeDirectories(_ path: String) throws(FileSystemError) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            built += "/\(component)"
            if mkdir(built, 0o750) != 0 && errno != EEXIST {
                throw FileSystemError(message: "cannot create directory \(built): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes a file; a missing file is not an error.
    public static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// Bytes an unprivileged writer may still use on the file system holding `path`, or nil.
    public static func freeBytes(_ path: String) -> Int64? {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { return nil }
        return Int64(fs.f_bavail) * Int64(fs.f_frsize)
    }

    /// Size of a file, or nil when it does not exist.
    public static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}

public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}

extension FileSystem {
    /// A whole (small) file as text, or nil when it cannot be opened; at most `limit` bytes are read.
    public static func readText(_ path: String, limit: Int = 16 << 20) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < limit {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count { break }
        }
        return String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}
