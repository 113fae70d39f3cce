import RecordingMetadata
import RecordingModel
import SIPCore

/// The parties of a recorded call named in the SIPREC INVITE's headers, for SRCs that send no metadata:
/// Cisco CUBE network-based recording's `X-Cisco-Recording-Participant` (one header per party, with the
/// `media-index` of the m-line its media is on), and, as a last resort, `P-Asserted-Identity`/`From`
/// (the caller) and `To` (the callee, unless it names the recorder itself).
enum HeaderParties {
    struct Parties {
        var participants: [ParticipantRecord]
        var reason: String
    }

    static func parties(of invite: SIPMessage) -> Parties? {
        if let cisco = ciscoParticipants(invite) { return cisco }
        return lastResort(invite)
    }

    /// `X-Cisco-Recording-Participant: sip:708090@10.42.30.5;media-index="0"`: the party on m-line 0 is
    /// the caller (m-line 0 carries the caller when nothing else says so), the rest callee.
    static func ciscoParticipants(_ invite: SIPMessage) -> Parties? {
        let values = invite.headerValues("X-Cisco-Recording-Participant")
        guard !values.isEmpty else { return nil }
        var entries: [(aor: String, index: Int)] = []
        for value in values.prefix(16) {
            guard let address = SIPNameAddr(parsing: value), let uri = address.uri else { continue }
            let index = mediaIndex(address.parameter("media-index") ?? nil) ?? mediaIndex(uri.parameter("media-index") ?? nil) ?? entries.count
            var bare = uri
            bare.parameters = []
            entries.append((bare.description, index))
        }
        guard !entries.isEmpty else { return nil }
        let ordered = entries.indices.sorted { (entries[$0].index, $0) < (entries[$1].index, $1) }
        let roles = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { rank, n in (n, rank == 0 ? "caller" : rank == 1 ? "callee" : "other") })
        let participants = entries.enumerated().map { n, entry in
            ParticipantRecord(participantId: "x-cisco-\(n)", aor: entry.aor, role: roles[n] ?? "other")
        }
        let caller = participants.first { $0.role == "caller" }?.aor ?? ""
        let callerIndex = entries[ordered[0]].index
        return Parties(participants: participants, reason: "No recording metadata: the parties come from the X-Cisco-Recording-Participant headers (Cisco network-based recording); the caller is \(caller), whose media-index is \(callerIndex), the first m-line.")
    }

    /// The first m-line of a `media-index` value (`"0"`, `0`, `"0 1"`).
    private static func mediaIndex(_ value: String?) -> Int? {
        guard let value else { return nil }
        let unquoted = value.filter { $0 != "\"" }
        return unquoted.split(separator: " ").first.flatMap { Int($0) }
    }

    /// `P-Asserted-Identity` (else `From`) as the caller and `To` as the callee when To does not name the
    /// recorder (the Request-URI's user): what an SRC that copies the original call's identities into
    /// its INVITE tells.
    static func lastResort(_ invite: SIPMessage) -> Parties? {
        let asserted = invite.headerValues("P-Asserted-Identity").first.flatMap(SIPNameAddr.init(parsing:))
        let from = asserted ?? invite.from
        let recorder = invite.requestURI?.user?.lowercased()
        var participants: [ParticipantRecord] = []
        if let from, let uri = from.uri, uri.user?.isEmpty == false {
            participants.append(ParticipantRecord(participantId: "caller", aor: bare(uri), name: from.displayName, role: "caller"))
        }
        if let to = invite.to, let uri = to.uri, let user = uri.user, !user.isEmpty, user.lowercased() != recorder {
            participants.append(ParticipantRecord(participantId: "callee", aor: bare(uri), name: to.displayName, role: "callee"))
        }
        guard !participants.isEmpty else { return nil }
        let source = asserted != nil ? "P-Asserted-Identity" : "From"
        return Parties(participants: participants, reason: "No recording metadata: as a last resort the caller is taken from the INVITE's \(source)\(participants.contains { $0.role == "callee" } ? " and the callee from its To" : "") header.")
    }

    private static func bare(_ uri: SIPURI) -> String {
        var plain = uri
        plain.parameters = []
        plain.headers = nil
        return plain.description
    }
}
