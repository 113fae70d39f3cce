import Testing
@testable import API
#if canImport(Glibc)
import Glibc
#endif

@Suite("Downloads read from disk")
struct FileReaderTests {
    static func file(_ bytes: [UInt8]) -> String {
        var template = Array("/tmp/siprecd-download-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    @Test("A file is sent whole, in chunks, in order")
    func whole() async throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = FileReaderTests.file(bytes)
        defer { unlink(path) }
        var received: [UInt8] = []
        try await FileReader.chunks(of: path, length: Int64(bytes.count)) { received += $0 }
        #expect(received == bytes)
    }

    @Test("A file shorter than the length announced (it shrank after its size was sent) fails the download")
    func shrunk() async {
        let path = FileReaderTests.file([UInt8](repeating: 1, count: 70_000))
        defer { unlink(path) }
        await #expect {
            try await FileReader.chunks(of: path, length: 100_000) { _ in }
        } throws: { error in
            "\(error)".hasSuffix("the file ended after 70000 of 100000 bytes")
        }
    }

    @Test("A read error fails the download instead of ending it early as if the file were complete")
    func readError() async {
        // A directory opens but cannot be read (EISDIR): the closest a test gets to a failing disk.
        await #expect {
            try await FileReader.chunks(of: "/tmp", length: 10) { _ in }
        } throws: { error in
            "\(error)" == "/tmp: read failed after 0 bytes: Is a directory"
        }
    }
}
