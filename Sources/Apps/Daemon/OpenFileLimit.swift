import Logging
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Raises the soft limit on open files to the hard limit: every call holds two RTP sockets and two
    /// open files, so the usual soft limit of 1024 would cap siprecd near 250 calls.
    static func raiseOpenFileLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        let before = limit.rlim_cur
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            logger.warning("cannot raise the open-file limit", metadata: ["soft": "\(before)", "hard": "\(limit.rlim_max)"])
        } else if limit.rlim_max < 8192 {
            logger.warning("open-file limit is low for many calls (4 per call)", metadata: ["limit": "\(limit.rlim_max)"])
        }
    }
}
