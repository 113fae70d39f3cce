import LibCrypto
import Testing

#if canImport(Glibc)
import Glibc
#endif
import TestSupport

@Suite("Encrypted stored files (AES-256-GCM container)")
struct SealedFileTests {
    static func write(_ path: String, _ bytes: [UInt8]) {
        let file = fopen(path, "wb")!
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    @Test("a sealed file opens to the same bytes with its key, names its key, and hides the plaintext")
    func roundTrip() throws {
        let directory = TemporaryDirectory("siprecd-seal")
        defer { directory.remove() }
        let dir = directory.path
        let plain = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        Self.write("\(dir)/plain", plain)
        let key = (0..<32).map { UInt8($0) }
        try SealedFile.seal(source: "\(dir)/plain", destination: "\(dir)/sealed", key: key, keyId: "k1")
        let sealed = try #require(Self.read("\(dir)/sealed"))
        #expect(sealed.count == plain.count + 8 + 1 + 2 + 12 + 16)
        #expect(Array(sealed[0..<8]) == SealedFile.magic)
        #expect(SealedFile.keyId(of: "\(dir)/sealed") == "k1")
        #expect(!sealed.indices.dropLast(1000).contains { i in Array(sealed[i..<(i + 64)]) == Array(plain[0..<64]) } )
        try SealedFile.open(source: "\(dir)/sealed", destination: "\(dir)/opened", key: key)
        #expect(Self.read("\(dir)/opened") == plain)
    }

    @Test("a wrong key, an altered byte or a truncated file fail and write no plaintext")
    func failures() throws {
        let directory = TemporaryDirectory("siprecd-seal")
        defer { directory.remove() }
        let dir = directory.path
        Self.write("\(dir)/plain", Array(repeating: 7, count: 70_000))
        let key = [UInt8](repeating: 1, count: 32)
        try SealedFile.seal(source: "\(dir)/plain", destination: "\(dir)/sealed", key: key, keyId: "k1")
        #expect(throws: SealedFile.Failure.self) {
            try SealedFile.open(source: "\(dir)/sealed", destination: "\(dir)/wrong", key: [UInt8](repeating: 2, count: 32))
        }
        #expect(Self.read("\(dir)/wrong") == nil)
        var sealed = try #require(Self.read("\(dir)/sealed"))
        for index in [9, 30, sealed.count - 1] {           // key id, ciphertext, tag
            var altered = sealed
            altered[index] ^= 1
            Self.write("\(dir)/altered", altered)
            #expect(throws: SealedFile.Failure.self) { try SealedFile.open(source: "\(dir)/altered", destination: "\(dir)/out", key: key) }
            #expect(Self.read("\(dir)/out") == nil)
        }
        sealed.removeLast(10)
        Self.write("\(dir)/short", sealed)
        #expect(throws: SealedFile.Failure.self) { try SealedFile.open(source: "\(dir)/short", destination: "\(dir)/out", key: key) }
        #expect(Self.read("\(dir)/out") == nil)
        #expect(throws: SealedFile.Failure.self) { try SealedFile.seal(source: "\(dir)/plain", destination: "\(dir)/x", key: [1, 2], keyId: "k") }
    }
}
