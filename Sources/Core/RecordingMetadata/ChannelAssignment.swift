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

/// Caller/callee roles for the audio m-lines of a SIPREC offer and for the parties of the call, and why.
public struct ChannelAssignment: Sendable, Equatable {
    /// One entry per offered audio m-line, in SDP order.
    public var streams: [StreamAssignment]
    /// One human sentence explaining the rule applied, for logs and the recording catalogue.
    public var reason: String
    /// The participant found to be the caller, and the callee, by metadata id (nil when unknown).
    public var callerParticipantId: String?
    public var calleeParticipantId: String?

    /// Creates an assignment.
    public init(streams: [StreamAssignment], reason: String, callerParticipantId: String? = nil,
                calleeParticipantId: String? = nil) {
        self.streams = streams
        self.reason = reason
        self.callerParticipantId = callerParticipantId
        self.calleeParticipantId = calleeParticipantId
    }

    /// The role of a participant in the call: `caller`, `callee`, or `other` (a third party and beyond).
    public func role(ofParticipant id: String) -> String {
        id == callerParticipantId ? "caller" : id == calleeParticipantId ? "callee" : "other"
    }

    /// Decides which m-line carries the caller, and who the caller and the callee are.
    ///
    /// The rule, deterministic for the same inputs:
    /// 1. Each m-line label is looked up among the metadata streams; the participants whose `send`
    ///    list contains the stream id send on it (still associated ones first). One m-line that two
    ///    parties send on is a mixed stream (Metaswitch forks one).
    /// 2. Vendor data names the caller when it can (see ``vendorCaller(in:among:)``: Sonus `callData`
    ///    From, Acme `callingParty`, Metaswitch and NetSapiens `callingPartyNumber`, …), and the callee
    ///    the same way (`calledPartyNumber`, `callData` To).
    /// 3. Otherwise the caller is the sender of the first labelled m-line (SRCs put the caller's stream
    ///    first); on a mixed stream, with nothing naming the caller, the first participant listed.
    /// 4. With two parties the callee is the other one; with more, the sender of the first m-line the
    ///    caller does not send on. Everyone else is `other`.
    /// 5. Every m-line the caller sends on is `caller`; all others are `callee`.
    /// 6. Fallback, when there is no metadata, no label matches a metadata stream, or no matched
    ///    stream has a sender: m-line 0 is `caller`, every other m-line `callee`.
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
        let senders = streamIds.map { id in id.map { participants(sendingOn: $0, in: metadata) } ?? [] }
        guard let firstIndex = senders.firstIndex(where: { !$0.isEmpty }) else {
            return fallback(mediaLabels, because: "the metadata has no send association for any offered stream")
        }
        let firstSenders = senders[firstIndex]
        let parties = metadata.participants.filter { !$0.isDisassociated }
        var caller = firstSenders[0]
        var callerWhy: String
        if firstSenders.count > 1 {
            callerWhy = "both parties send on the mixed stream (\(describe(label: mediaLabels[firstIndex]))) and nothing names the caller, so the first one listed is taken"
        } else {
            callerWhy = "it sends on the first labelled m-line (\(describe(label: mediaLabels[firstIndex]))), where SRCs put the caller's stream"
        }
        if let hint = vendorCaller(in: metadata, among: metadata.participants) {
            let agrees = firstSenders.count == 1 && hint.participant.id == caller.id
                ? ", agreeing with it sending on the first labelled m-line"
                : firstSenders.count == 1 ? ", although another party sends on the first labelled m-line" : ""
            caller = hint.participant
            callerWhy = hint.evidence + agrees
        }
        let callee: RecordingMetadata.Participant?
        let calleeWhy: String
        if let hint = vendorCallee(in: metadata, among: metadata.participants.filter { $0.id != caller.id }) {
            (callee, calleeWhy) = (hint.participant, hint.evidence)
        } else if parties.count == 2, let other = parties.first(where: { $0.id != caller.id }) {
            (callee, calleeWhy) = (other, "it is the other of the two parties")
        } else if let line = senders.first(where: { !$0.isEmpty && !$0.contains { $0.id == caller.id } }), let other = line.first {
            (callee, calleeWhy) = (other, "it sends on the first m-line the caller does not send on")
        } else {
            (callee, calleeWhy) = (nil, "")
        }
        var reason = "Caller is \(describe(caller)) because \(callerWhy)."
        if let callee { reason += " Callee is \(describe(callee)) because \(calleeWhy)." }
        let assignments = mediaLabels.enumerated().map { index, label in
            let onLine = senders[index]
            let sender = onLine.first { $0.id == caller.id } ?? onLine.first
            let carriesCaller = onLine.contains { $0.id == caller.id }
            return StreamAssignment(
                mLineIndex: index, label: label, role: carriesCaller ? .caller : .callee,
                participantId: sender?.id, participantAoR: sender?.aor, participantName: sender?.name)
        }
        return ChannelAssignment(streams: assignments, reason: reason, callerParticipantId: caller.id,
                                 calleeParticipantId: callee?.id)
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

    /// The participants sending on `streamId`, those still associated first.
    private static func participants(sendingOn streamId: String, in metadata: RecordingMetadata) -> [RecordingMetadata.Participant] {
        let candidates = metadata.participants.filter { $0.send.contains(streamId) }
        return candidates.filter { !$0.isDisassociated } + candidates.filter(\.isDisassociated)
    }

    static func describe(_ participant: RecordingMetadata.Participant) -> String {
        participant.aor ?? "participant \(participant.id)"
    }

    private static func describe(label: String?) -> String {
        label.map { "label \($0)" } ?? "unlabelled"
    }
}
