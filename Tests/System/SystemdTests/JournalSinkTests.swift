import Testing
@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

@Suite struct RepeatWindowTests {
    @Test func burstIsCountedAndSummarisedOnceTheSecondIsOver() {
        var window = RepeatWindow()
        var summaries = window.roll(to: 100)
        #expect(summaries.isEmpty)
        let admitted = (0..<60).filter { _ in window.count("session refused", priority: 4, burst: 10) }
        #expect(admitted.count == 10)
        let started = window.count("recording started", priority: 6, burst: 10)
        #expect(started)
        summaries = window.roll(to: 100)
        #expect(summaries.isEmpty)
        summaries = window.roll(to: 101)
        #expect(summaries == [RepeatSummary(message: "session refused", count: 50, priority: 4)])
        summaries = window.roll(to: 102)
        #expect(summaries.isEmpty)
        let again = window.count("session refused", priority: 4, burst: 10)
        #expect(again)
    }

    @Test func summaryEntryNamesTheMessageAndTheCount() {
        let fields = Dictionary(uniqueKeysWithValues: RepeatSummary(message: "session refused", count: 7, priority: 4).fields.map { ($0.0, $0.1) })
        #expect(fields["MESSAGE"] == "session refused: 7 repeats suppressed")
        #expect(fields["PRIORITY"] == "4" && fields["SIPRECD_SUPPRESSED"] == "7")
    }
}

/// Against a real datagram socket with a queue nobody reads: sending never blocks, and what was lost is
/// reported by the first entry that gets through afterwards.
@Suite struct JournalSinkTests {
    @Test func fullQueueDropsAndCountsInsteadOfBlocking() throws {
        let path = "/tmp/siprecd-journal-test-\(getpid()).sock"
        unlink(path)
        let reader = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(reader); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(reader, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let sink = try #require(JournalSink(path: path))
        // Far more than any max_dgram_qlen: this would hang if send blocked.
        for n in 0..<5000 { sink.send([("MESSAGE", "entry \(n)"), ("PRIORITY", "6")]) }
        var received: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = recv(reader, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if got <= 0 { break }
            received.append(String(decoding: buffer[0..<got], as: UTF8.self))
        }
        #expect(!received.isEmpty && received.count < 5000)
        sink.send([("MESSAGE", "after the queue drained"), ("PRIORITY", "6")])
        var notices: [String] = []
        while true {
            let got = recv(reader, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if got <= 0 { break }
            notices.append(String(decoding: buffer[0..<got], as: UTF8.self))
        }
        #expect(notices.count == 2)
        #expect(notices.first?.contains("MESSAGE=journal busy: \(5000 - received.count) log entries dropped\n") == true)
        #expect(notices.last?.contains("MESSAGE=after the queue drained\n") == true)
    }
}
