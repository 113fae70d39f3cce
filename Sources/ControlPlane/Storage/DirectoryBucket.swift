#if canImport(Glibc)
import Glibc
#endif

/// A `dir` bucket: a local directory (a USB disk on the appliance). Files are written under a hidden
/// temporary name, fsynced, then published under their name with link(2) (never replacing an existing
/// file) or rename(2) when `overwrite` is set, and the directory is fsynced.
public struct DirectoryBucket: Sendable {
    public var path: String
    public var overwrite: Bool

    public init(path: String, overwrite: Bool) {
        self.path = path
        self.overwrite = overwrite
    }

    /// Writes `name` through `produce` (which creates the file at the path it is given).
    public func store(name: String, produce: (String) throws(StorageError) -> Void) throws(StorageError) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StorageError("bucket directory \(path) does not exist")
        }
        let final = "\(path)/\(name)"
        if !overwrite, access(final, F_OK) == 0 { throw StorageError("\(name) already exists in the bucket") }
        let temporary = "\(path)/.\(name).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try produce(temporary)
        defer { unlink(temporary) }
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw StorageError("cannot flush the stored file: \(String(cString: strerror(errno)))")
        }
        close(fd)
        let published = overwrite ? rename(temporary, final) : link(temporary, final)
        guard published == 0 else {
            throw StorageError(errno == EEXIST ? "\(name) already exists in the bucket"
                                               : "cannot publish \(name): \(String(cString: strerror(errno)))")
        }
        let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
    }
}
