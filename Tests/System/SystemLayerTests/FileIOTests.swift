import Synchronization
import SystemLayer
import Testing
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

@Suite("The system layer: descriptors, clock, threads")
struct FileIOTests {
    static func temporaryPath(_ name: String) -> String {
        TemporaryDirectory("siprecd-system").file(name)
    }

    @Test("writeAll then readFully give the same bytes; a read past the end returns the short count, not an error")
    func roundTrip() throws {
        let path = FileIOTests.temporaryPath("data")
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        defer { close(fd); unlink(path) }
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try FileIO.writeAll(fd, bytes)
        try FileIO.writeAll(fd, [UInt8](repeating: 0xEE, count: 10), at: 50)
        #expect(try FileIO.size(fd) == 100_000)
        var back = [UInt8](repeating: 0, count: 120_000)
        let got = try FileIO.readFully(fd, into: &back, at: 0)
        var expected = bytes
        for index in 50..<60 { expected[index] = 0xEE }
        #expect(got == 100_000)
        #expect(Array(back[0..<got]) == expected)
        var one = [UInt8](repeating: 0, count: 1)
        let end = try one.withUnsafeMutableBytes { buffer in try FileIO.read(fd, into: buffer, at: 100_000) }
        #expect(end == .endOfFile)
    }

    @Test("A read error is a typed errno, not the end of the file")
    func readErrorThrows() {
        let fd = open("/tmp", O_RDONLY | O_CLOEXEC)      // a directory: read(2) fails with EISDIR
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: Errno(EISDIR)) {
            try FileIO.readFully(fd, into: &buffer)
        }
        #expect(Errno(EISDIR).description == "Is a directory")
    }

    @Test("An empty non-blocking pipe reads as wouldBlock; a datagram socket's empty queue as nil")
    func wouldBlockIsAValue() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        #expect(fcntl(ends[0], F_SETFL, O_NONBLOCK) == 0)
        defer { close(ends[0]); close(ends[1]) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let empty = try buffer.withUnsafeMutableBytes { bytes in try FileIO.read(ends[0], into: bytes) }
        #expect(empty == .wouldBlock)
        try FileIO.writeAll(ends[1], [1, 2, 3])
        let three = try buffer.withUnsafeMutableBytes { bytes in try FileIO.read(ends[0], into: bytes) }
        #expect(three == .bytes(3) && Array(buffer[0..<3]) == [1, 2, 3])

        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(udp) }
        var message = msghdr()
        let none = try withUnsafeMutablePointer(to: &message) { pointer in
            try FileIO.receiveDatagram(udp, pointer, flags: Int32(MSG_DONTWAIT))
        }
        #expect(none == nil)
    }

    @Test("The monotonic clock moves forward across a sleep")
    func clock() {
        let before = monotonicNanos()
        sleepNanos(2_000_000)
        #expect(monotonicNanos() - before >= 2_000_000)
    }

    @Test("A background loop steps until stopped, pauses when idle, and runs its last words on its own thread")
    func backgroundLoop() throws {
        let steps = Atomic<Int>(0)
        let finished = Atomic<Bool>(false)
        let loop = try BackgroundLoop(name: "test-loop", idlePause: .milliseconds(1), step: { isRunning in
            #expect(isRunning())
            steps.wrappingAdd(1, ordering: .relaxed)
            return false
        }, finally: { finished.store(true, ordering: .relaxed) })
        while steps.load(ordering: .relaxed) < 3 { sleepNanos(1_000_000) }
        #expect(loop.isRunning)
        loop.stop()
        #expect(!loop.isRunning && finished.load(ordering: .relaxed))
        let after = steps.load(ordering: .relaxed)
        sleepNanos(5_000_000)
        #expect(steps.load(ordering: .relaxed) == after)
        loop.stop()      // a second stop returns at once
    }
}
