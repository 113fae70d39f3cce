#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes on file descriptors the one way every module does: EINTR is retried, EAGAIN on a
/// non-blocking descriptor is a value (``ReadResult/wouldBlock``), every other failure is a typed ``Errno``,
/// and a short transfer is either continued or reported — never taken for the end of a file.
public enum FileIO {
    /// What one read gave.
    public enum ReadResult: Sendable, Equatable {
        case bytes(Int)
        case endOfFile
        /// A non-blocking descriptor has nothing now.
        case wouldBlock
    }

    /// One read(2) into `buffer` (pread(2) at `offset` when given).
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64? = nil) throws(Errno) -> ReadResult {
        guard buffer.count > 0 else { return .bytes(0) }
        while true {
            let n = offset.map { pread(fd, buffer.baseAddress, buffer.count, off_t($0)) } ?? Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            let error = Errno.current
            if error == .interrupted { continue }
            if error == .wouldBlock || error.code == EWOULDBLOCK { return .wouldBlock }
            throw error
        }
    }

    /// Reads until `buffer` is full or the file ends (pread from `offset` when given); returns how many bytes
    /// it read. Fewer than `buffer.count` means the file ended there. A non-blocking descriptor with nothing
    /// to read throws EAGAIN (use ``read(_:into:at:)`` for those).
    public static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64? = nil) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            switch try read(fd, into: rest, at: offset.map { $0 + Int64(done) }) {
            case .bytes(let n): done += n
            case .endOfFile: return done
            case .wouldBlock: throw Errno.wouldBlock
            }
        }
        return done
    }

    /// Writes all of `bytes` (pwrite from `offset` when given), continuing short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64? = nil) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let base = bytes.baseAddress! + done, remaining = bytes.count - done
            let n = offset.map { pwrite(fd, base, remaining, off_t($0) + off_t(done)) } ?? Glibc.write(fd, base, remaining)
            if n >= 0 {
                done += n
                continue
            }
            let error = Errno.current
            if error == .interrupted { continue }
            throw error
        }
    }

    /// ``readFully(_:into:at:)`` into the first `count` bytes of `buffer` (all of it by default).
    /// (Array overloads take no throwing closure: a typed-throws closure passed to a `rethrows` function
    /// crashes Swift 6.3's IR generation.)
    public static func readFully(_ fd: Int32, into buffer: inout [UInt8], count: Int? = nil, at offset: Int64? = nil) throws(Errno) -> Int {
        let want = min(count ?? buffer.count, buffer.count)
        let result: Result<Int, Errno> = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(Errno) in try readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<want]), at: offset) }
        }
        return try result.get()
    }

    /// ``writeAll(_:_:at:)`` of an array's bytes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64? = nil) throws(Errno) {
        let result: Result<Void, Errno> = bytes.withUnsafeBytes { buffer in
            Result { () throws(Errno) in try writeAll(fd, buffer, at: offset) }
        }
        try result.get()
    }

    /// One datagram (recvmsg(2) with `flags`) into `message`'s buffers; returns its length (0 is an empty
    /// datagram), or nil when a non-blocking socket has none now.
    @inlinable @inline(__always)
    public static func receiveDatagram(_ fd: Int32, _ message: UnsafeMutablePointer<msghdr>, flags: Int32) throws(Errno) -> Int? {
        while true {
            let n = recvmsg(fd, message, flags)
            if n >= 0 { return n }
            let error = Errno.current
            if error == .interrupted { continue }
            if error == .wouldBlock || error.code == EWOULDBLOCK { return nil }
            throw error
        }
    }

    /// poll(2) on `count` descriptors; returns how many are ready (0 on timeout, and when a signal ended the
    /// wait: callers poll in a loop).
    @inlinable
    public static func poll(_ descriptors: UnsafeMutablePointer<pollfd>, count: Int, timeoutMillis: Int32) throws(Errno) -> Int {
        let ready = Glibc.poll(descriptors, nfds_t(count), timeoutMillis)
        if ready >= 0 { return Int(ready) }
        let error = Errno.current
        if error == .interrupted { return 0 }
        throw error
    }

    /// The size of the open file.
    public static func size(_ fd: Int32) throws(Errno) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Errno.current }
        return Int64(info.st_size)
    }
}
