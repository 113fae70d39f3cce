/// Which side of the recorded call a stream carries.
public enum ChannelRole: String, Sendable {
    /// The party that placed the call.
    case caller
    /// Any other party.
    case callee
}

/// The role decided for one offered audio m-line.
public struct StreamAssignment: Sendable, Equatable {
    /// Index of the m-line among the offered audio m-lines, in SDP order.
    public var mLineIndex: Int
    /// The m-line's `a=label`, if it had one.
    public var label: String?
    /// Caller or callee.
    public var role: ChannelRole
    /// Metadata id of the participant sending on this m-line, when known.
    public var participantId: String?
    /// That participant's address of record, as written in the metadata.
    public var participantAoR: String?
    /// That participant's display name.
    public var participantName: String?

    /// Creates an assignment.
    public init(mLineIndex: Int, label: String?, role: ChannelRole, participantId: String? = nil,
                participantAoR: String? = nil, participantName: String? = nil) {
        self.mLineIndex = mLineIndex
        self.label = label
        self.role = role
        self.participantId = participantId
        self.participantAoR = participantAoR
        self.participantName = participantName
    }
}

/// Caller/callee roles for the audio m-lines of a SIPREC offer, and why.
public struct ChannelAssignment: Sendable, Equatable {
    /// One entry per offered audio m-line, in SDP order.
    public var streams: [StreamAssignment]
    /// One human sentence explaining the rule applied, for logs and the recording catalogue.
    public var reason: String

    /// Creates an assignment.
    public init(streams: [StreamAssignment], reason: String) {
        self.streams = streams
        self.reason = reason
    }

    /// Decides which m-line carries the caller.
    ///
    /// The rule, deterministic for the same inputs:
    /// 1. Each m-line label is looked up among the metadata streams, and the sender of that
    ///    stream is the participant whose `send` list contains the stream id (a participant
    ///    still associated is preferred over one marked disassociated).
    /// 2. The caller is the sender of the first m-line that has one: SRCs put the caller's
    ///    stream first by convention.
    /// 3. Vendor data overrides that when it names the original caller and that participant
    ///    sends on an offered m-line: a Sonus `callData` From (`fromhdr`/`fromUri`) matching
    ///    a participant's AoR, else an Acme `callingParty` of `true`.
    /// 4. Every m-line the caller sends on is `caller`; all others (other participants,
    ///    unknown senders, any number of m-lines) are `callee`.
    /// 5. Fallback, when there is no metadata, no label matches a metadata stream, or no
    ///    matched stream has a sender: m-line 0 is `caller`, every other m-line `callee`.
    ///
    /// - Parameters:
    ///   - metadata: the current recording metadata, or `nil` when the offer had none.
    ///   - mediaLabels: the `a=label` of each offered audio m-line in SDP order (`nil` when absent).
    public static func assign(metadata: RecordingMetadata?, mediaLabels: [String?]) -> ChannelAssignment {
        guard !mediaLabels.isEmpty else {
            return ChannelAssignment(streams: [], reason: "The offer has no audio m-lines, so there is nothing to assign.")
        }
        guard let metadata else {
            return fallback(mediaLabels, because: "the offer carried no recording metadata")
        }
        let streamIds = mediaLabels.map { label in label.flatMap { metadata.stream(label: $0)?.id } }
        guard streamIds.contains(where: { $0 != nil }) else {
            return fallback(mediaLabels, because: "no SDP a=label matches a <stream> label in the metadata")
        }
        let senders = streamIds.map { id in id.flatMap { sender(of: $0, in: metadata) } }
        guard let firstSenderIndex = senders.firstIndex(where: { $0 != nil }),
              let firstSender = senders[firstSenderIndex] else {
            return fallback(mediaLabels, because: "the metadata has no send association for any offered stream")
        }
        var caller = firstSender
        var reason = "Caller is \(describe(firstSender)) because it sends on the first labelled m-line "
            + "(\(describe(label: mediaLabels[firstSenderIndex]))), where SRCs put the caller's stream."
        let offeredSenders = senders.compactMap { $0 }
        if let hint = vendorCaller(in: metadata, among: offeredSenders) {
            caller = hint.participant
            let agrees = hint.participant.id == firstSender.id
                ? ", agreeing with it sending on the first labelled m-line"
                : ", although another party sends on the first labelled m-line"
            reason = "Caller is \(describe(hint.participant)) because \(hint.evidence)\(agrees)."
        }
        let assignments = mediaLabels.enumerated().map { index, label in
            let sender = senders[index]
            return StreamAssignment(
                mLineIndex: index, label: label, role: sender?.id == caller.id ? .caller : .callee,
                participantId: sender?.id, participantAoR: sender?.aor, participantName: sender?.name)
        }
        return ChannelAssignment(streams: assignments, reason: reason)
    }

    /// m-line 0 is the caller, the rest callees.
    private static func fallback(_ labels: [String?], because why: String) -> ChannelAssignment {
        let streams = labels.enumerated().map { index, label in
            StreamAssignment(mLineIndex: index, label: label, role: index == 0 ? .caller : .callee)
        }
        let rest = labels.count > 1 ? " and the other m-lines callee" : ""
        return ChannelAssignment(streams: streams,
                                 reason: "Fallback: m-line 0 is taken as caller\(rest) because \(why).")
    }

    /// The participant sending on `streamId`, preferring one that is still associated.
    private static func sender(of streamId: String, in metadata: RecordingMetadata) -> RecordingMetadata.Participant? {
        let candidates = metadata.participants.filter { $0.send.contains(streamId) }
        return candidates.first { !$0.isDisassociated } ?? candidates.first
    }

    static func describe(_ participant: RecordingMetadata.Participant) -> String {
        participant.aor ?? "participant \(participant.id)"
    }

    private static func describe(label: String?) -> String {
        label.map { "label \($0)" } ?? "unlabelled"
    }
}
