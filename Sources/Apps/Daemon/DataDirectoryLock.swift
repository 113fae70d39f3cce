import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// One siprecd per data directory: an exclusive flock(2) on `DATADIR/siprecd.lock`, held for the life of the
/// process (the kernel drops it when the process ends, so a crash or kill -9 leaves nothing stale). A second
/// siprecd on the same directory would otherwise "recover" the first one's live recordings as interrupted and
/// write the same catalog.
public struct DataDirectoryLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock, or throws naming the directory and the process that holds it.
    public init(dataDir: String) throws(FileSystemError) {
        path = "\(dataDir)/siprecd.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw FileSystemError(message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = DataDirectoryLock.readPID(fd)
            close(fd)
            if reason == EWOULDBLOCK {
                let who = holder.map { "siprecd (pid \($0))" } ?? "another siprecd"
                throw FileSystemError(message: "the data directory \(dataDir) is in use by \(who): one siprecd per data directory (stop it, or give this one another --data-dir)")
            }
            throw FileSystemError(message: "cannot lock \(path): \(String(cString: strerror(reason)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        // Only a note for the next siprecd's message: a failed write leaves it without the pid, nothing more.
        try? FileIO.writeAll(fd, pid, at: 0)
        descriptor = fd
    }

    private static func readPID(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 16)
        guard let n = try? FileIO.readFully(fd, into: &buffer, at: 0),
              n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).filter(\.isNumber))
    }
}
