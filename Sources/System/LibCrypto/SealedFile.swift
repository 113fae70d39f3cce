import COpenSSL
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

/// Encrypted stored files: AES-256-GCM in a small container, streamed in 64 KiB pieces.
///
///     "SRECENC1"                 8 bytes, magic and version
///     key id length              1 byte (0–64)
///     key id                     UTF-8, the `[keys]` name (or "inline")
///     nonce                      12 random bytes
///     ciphertext                 as long as the plaintext
///     tag                        16 bytes (GCM), over the ciphertext with the header above as AAD
///
/// Opening writes the plaintext to a temporary file and publishes it only once the tag checks, so a
/// wrong key or a damaged file never leaves partial plaintext behind.
public enum SealedFile {
    public static let magic = Array("SRECENC1".utf8)

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Encrypts `source` into `destination` (created) with a 32-byte `key` named `keyId`.
    public static func seal(source: String, destination: String, key: [UInt8], keyId: String) throws(Failure) {
        guard key.count == 32 else { throw Failure("an AES-256 key is 32 bytes, not \(key.count)") }
        let id = Array(keyId.utf8.prefix(64))
        var nonce = [UInt8](repeating: 0, count: 12)
        guard siprecd_random(&nonce, 12) == 1 else { throw Failure("no random nonce") }
        let header = magic + [UInt8(id.count)] + id + nonce
        guard let context = key.withUnsafeBufferPointer({ k in nonce.withUnsafeBufferPointer { siprecd_gcm_new(1, k.baseAddress, $0.baseAddress) } }) else {
            throw Failure("cannot start AES-256-GCM")
        }
        defer { siprecd_gcm_free(context) }
        guard header.withUnsafeBufferPointer({ siprecd_gcm_aad(context, $0.baseAddress, Int32($0.count)) }) == 1 else {
            throw Failure("cannot authenticate the header")
        }
        let input = try Descriptor(open: source, flags: O_RDONLY)
        let output = try Descriptor(open: destination, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o640)
        try output.write(header)
        var plain = [UInt8](repeating: 0, count: 65_536), cipher = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = try input.read(into: &plain)
            if count == 0 { break }
            let written = plain.withUnsafeBufferPointer { p in cipher.withUnsafeMutableBufferPointer { siprecd_gcm_update(context, p.baseAddress, Int32(count), $0.baseAddress) } }
            guard written == count else { throw Failure("AES-256-GCM failed") }
            try output.write(Array(cipher[0..<count]))
        }
        var tag = [UInt8](repeating: 0, count: 16)
        guard siprecd_gcm_seal(context, &tag) == 1 else { throw Failure("AES-256-GCM failed at the end") }
        try output.write(tag)
        try output.sync()
    }

    /// The key id in a sealed file's header (to pick the key), or nil when it is not a sealed file.
    public static func keyId(of path: String) -> String? {
        guard let input = try? Descriptor(open: path, flags: O_RDONLY) else { return nil }
        var head = [UInt8](repeating: 0, count: 9 + 64)
        guard let count = try? input.read(into: &head), count >= 9, Array(head[0..<8]) == magic else { return nil }
        let length = Int(head[8])
        guard count >= 9 + length else { return nil }
        return String(decoding: head[9..<(9 + length)], as: UTF8.self)
    }

    /// Decrypts `source` into `destination`, which appears only when the whole file is authentic.
    public static func open(source: String, destination: String, key: [UInt8]) throws(Failure) {
        guard key.count == 32 else { throw Failure("an AES-256 key is 32 bytes, not \(key.count)") }
        let input = try Descriptor(open: source, flags: O_RDONLY)
        let size = input.size
        var fixed = [UInt8](repeating: 0, count: 9)
        guard try input.read(into: &fixed) == 9, Array(fixed[0..<8]) == magic else { throw Failure("\(source) is not a siprecd encrypted file") }
        var id = [UInt8](repeating: 0, count: Int(fixed[8]))
        var nonce = [UInt8](repeating: 0, count: 12)
        guard (id.isEmpty ? 0 : try input.read(into: &id)) == id.count, try input.read(into: &nonce) == 12 else {
            throw Failure("\(source) is truncated")
        }
        let header = fixed + id + nonce
        var remaining = size - Int64(header.count) - 16
        guard remaining >= 0 else { throw Failure("\(source) is truncated") }
        guard let context = key.withUnsafeBufferPointer({ k in nonce.withUnsafeBufferPointer { siprecd_gcm_new(0, k.baseAddress, $0.baseAddress) } }) else {
            throw Failure("cannot start AES-256-GCM")
        }
        defer { siprecd_gcm_free(context) }
        _ = header.withUnsafeBufferPointer { siprecd_gcm_aad(context, $0.baseAddress, Int32($0.count)) }
        let temporary = destination + ".partial-\(getpid())"
        let output = try Descriptor(open: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o640)
        var published = false
        defer { if !published { unlink(temporary) } }
        var cipher = [UInt8](repeating: 0, count: 65_536), plain = [UInt8](repeating: 0, count: 65_536)
        while remaining > 0 {
            let want = Int(min(remaining, 65_536))
            let count = try input.read(into: &cipher, limit: want)
            guard count == want else { throw Failure("\(source) is truncated") }
            let written = cipher.withUnsafeBufferPointer { c in plain.withUnsafeMutableBufferPointer { siprecd_gcm_update(context, c.baseAddress, Int32(count), $0.baseAddress) } }
            guard written == count else { throw Failure("AES-256-GCM failed") }
            try output.write(Array(plain[0..<count]))
            remaining -= Int64(count)
        }
        var tag = [UInt8](repeating: 0, count: 16)
        guard try input.read(into: &tag) == 16 else { throw Failure("\(source) is truncated") }
        guard siprecd_gcm_open(context, tag) == 1 else {
            throw Failure("the file does not decrypt with this key (wrong key, or the file was altered); nothing was written")
        }
        try output.sync()
        guard rename(temporary, destination) == 0 else { throw Failure("cannot write \(destination): \(String(cString: strerror(errno)))") }
        published = true
    }
}

/// A file descriptor with the few calls SealedFile needs; closed on deinit.
final class Descriptor {
    let fd: Int32

    init(open path: String, flags: Int32, mode: mode_t = 0) throws(SealedFile.Failure) {
        fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SealedFile.Failure("cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    var size: Int64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Reads up to `limit` (default: the buffer's size) bytes, retrying short reads until EOF.
    func read(into buffer: inout [UInt8], limit: Int? = nil) throws(SealedFile.Failure) -> Int {
        do {
            return try FileIO.readFully(fd, into: &buffer, count: limit)
        } catch {
            throw SealedFile.Failure("read: \(error)")
        }
    }

    func write(_ bytes: [UInt8]) throws(SealedFile.Failure) {
        do {
            try FileIO.writeAll(fd, bytes)
        } catch {
            throw SealedFile.Failure("write: \(error)")
        }
    }

    func sync() throws(SealedFile.Failure) {
        guard fsync(fd) == 0 else { throw SealedFile.Failure("fsync: \(String(cString: strerror(errno)))") }
    }
}
