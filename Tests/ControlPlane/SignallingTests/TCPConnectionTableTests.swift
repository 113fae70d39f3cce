import NIOCore
import NIOEmbedded
import Testing
@testable import Signalling

@Suite struct TCPConnectionTableTests {
    @Test func fullTableEvictsTheOldestSilentConnectionFirst() {
        let table = TCPConnectionTable(capacity: 3)
        let a = EmbeddedChannel(), b = EmbeddedChannel(), c = EmbeddedChannel(), d = EmbeddedChannel()
        for channel in [a, b, c] {
            guard case .admitted = table.opened(channel) else { Issue.record("not admitted"); return }
        }
        table.spoke(a)                        // a carries SIP: it is never pushed out
        guard case .admittedEvicting(let victim) = table.opened(d) else { Issue.record("d was not admitted"); return }
        #expect(victim === b)
        #expect(table.count == 3 && table.silentCount == 2)
        table.closed(b)                       // the victim's close arrives later: not counted twice
        #expect(table.count == 3)
    }

    @Test func fullTableOfConnectionsThatSpokeRefusesTheNewOne() {
        let table = TCPConnectionTable(capacity: 2)
        let a = EmbeddedChannel(), b = EmbeddedChannel(), c = EmbeddedChannel()
        _ = table.opened(a)
        _ = table.opened(b)
        table.spoke(a)
        table.spoke(b)
        guard case .refused = table.opened(c) else { Issue.record("c was admitted"); return }
        table.closed(c)
        #expect(table.count == 2)
        table.closed(a)
        guard case .admitted = table.opened(c) else { Issue.record("c was not admitted after a closed"); return }
    }

    @Test func orderStaysBoundedWhenConnectionsSpeakAndClose() {
        let table = TCPConnectionTable(capacity: 16)
        for _ in 0..<20_000 {
            let channel = EmbeddedChannel()
            _ = table.opened(channel)
            table.spoke(channel)
            table.closed(channel)
        }
        #expect(table.count == 0 && table.silentCount == 0)
        #expect(table.pendingOrderEntries <= 1_025)
    }
}
