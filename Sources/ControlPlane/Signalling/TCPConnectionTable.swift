import NIOCore

/// The SIP/TCP and SIP/TLS connections of one server (one limit for both: each is a descriptor and a
/// buffer), confined to its event loop. A connection is *silent* until it
/// has sent one complete SIP message. Silent connections are closed after the first-message timeout, and
/// when the table is full the oldest silent one makes room for a new connection: a flood of half-open or
/// idle connections can neither exhaust descriptors nor push out an SRC's working connections.
final class TCPConnectionTable {
    enum Admission {
        case admitted
        /// Admitted after closing this older silent connection.
        case admittedEvicting(Channel)
        /// Full of connections that have all spoken: the new one is closed.
        case refused
    }

    let capacity: Int
    /// Every admitted connection that has not closed (an evicted one leaves at once).
    private var members: Set<ObjectIdentifier> = []
    /// The members that are TLS connections.
    private var tls: [ObjectIdentifier: Channel] = [:]
    /// Silent connections by identity, and their opening order (stale entries are skipped lazily).
    private var silent: [ObjectIdentifier: Channel] = [:]
    private var order: [ObjectIdentifier] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { members.count }
    var tlsCount: Int { tls.count }
    var tlsChannels: [Channel] { Array(tls.values) }
    var silentCount: Int { silent.count }
    /// Opening-order entries not yet consumed (bounded: see `opened`).
    var pendingOrderEntries: Int { order.count - head }

    /// A connection was accepted.
    func opened(_ channel: Channel, transport: SIPFlow.Transport = .tcp) -> Admission {
        var admission = Admission.admitted
        if members.count >= capacity {
            guard let victim = oldestSilent() else { return .refused }
            silent[ObjectIdentifier(victim)] = nil
            members.remove(ObjectIdentifier(victim))
            tls[ObjectIdentifier(victim)] = nil
            admission = .admittedEvicting(victim)
        }
        let id = ObjectIdentifier(channel)
        members.insert(id)
        if transport == .tls { tls[id] = channel }
        silent[id] = channel
        order.append(id)
        if order.count - head > 2 * silent.count + 1_024 {
            // Mostly connections that spoke or closed: keep the order of the silent ones only.
            order = order[head...].filter { silent[$0] != nil }
            head = 0
        }
        return admission
    }

    /// The connection delivered its first complete SIP message.
    func spoke(_ channel: Channel) {
        silent[ObjectIdentifier(channel)] = nil
    }

    func isSilent(_ channel: Channel) -> Bool {
        silent[ObjectIdentifier(channel)] != nil
    }

    /// The connection closed (whether or not it was admitted or is still a member).
    func closed(_ channel: Channel) {
        members.remove(ObjectIdentifier(channel))
        tls[ObjectIdentifier(channel)] = nil
        silent[ObjectIdentifier(channel)] = nil
    }

    private func oldestSilent() -> Channel? {
        while head < order.count {
            let id = order[head]
            head += 1
            if let channel = silent[id] {
                compact()
                return channel
            }
        }
        compact()
        return nil
    }

    /// Drops the consumed front of `order` once it is most of the array.
    private func compact() {
        if head > 1_024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
