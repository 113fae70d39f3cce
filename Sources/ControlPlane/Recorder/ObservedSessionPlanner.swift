import MediaCore
import Pipeline
import RecordingMetadata
import RecordingModel
import SIPCore
import Signalling
import SRTP
import Wire

/// Recordings of sessions observed on the wire (passive mode and replay): streams keyed by where their
/// RTP goes, channels decided as in active mode.
enum ObservedSessionPlanner {
    static func makeRecording(_ session: ObservedSession, settings: RecordingSettings, startMillis: Int64,
                              originNanos: Int64) throws(RecordingFactory.Failure) -> LiveRecording {
        let assignment = assignment(for: session)
        let plans: [StreamPlan?] = session.streams.enumerated().map { index, stream in
            guard stream.destinationPort != 0,
                  let payloads = RecordingFactory.payloads(receiver: stream.receiverMedia),
                  let key = EndpointKey(address: stream.destinationAddress, port: stream.destinationPort)
            else { return nil }
            let role = assignment.streams.first(where: { $0.mLineIndex == index })?.role ?? .callee
            var plan = StreamPlan(mLineIndex: stream.mLineIndex, label: stream.label, role: role == .caller ? .caller : .callee,
                                  payloads: payloads, accepting: stream.active, socket: nil, key: key)
            switch usableKey(stream) {
            case .success(let crypto): plan.crypto = crypto
            case .failure: plan.keysUnavailable = true
            }
            return plan
        }
        guard plans.contains(where: { $0 != nil }) else {
            throw RecordingFactory.Failure(message: "no stream with an address in a codec siprecd decodes (\(AudioCodec.supportedSummary))")
        }
        let origin = RecordingOrigin(
            dialogID: session.callID, callID: session.callID, requestURI: session.invite.requestURI,
            source: session.source, metadata: session.metadata, metadataError: session.metadataError,
            metadataRepairs: session.metadataRepairs, siprecIndications: session.siprecIndications, assignment: assignment, invite: session.invite)
        let recording = try RecordingFactory.make(origin: origin, plans: plans, settings: settings,
                                                  startMillis: startMillis, originNanos: originNanos)
        if !session.isSiprec { recording.record.participants = plainParticipants(session.invite) }
        for (slot, plan) in plans.enumerated() { if let crypto = plan?.crypto { recording.observedKeys[slot] = crypto } }
        return recording
    }

    /// Why the SRTP keys of a session's streams are not available, one reason per such stream.
    static func unavailableKeys(_ session: ObservedSession) -> [String] {
        session.streams.compactMap { stream in
            if case .failure(let why) = usableKey(stream) { return why.reason }
            return nil
        }
    }

    struct KeyUnavailable: Error { var reason: String }

    /// The key an observed stream is decrypted with (nil: plain RTP), or why there is none siprecd can use.
    static func usableKey(_ stream: ObservedSession.Stream) -> Result<SDPCrypto?, KeyUnavailable> {
        switch stream.srtp {
        case .plain: return .success(nil)
        case .unavailable(let reason): return .failure(KeyUnavailable(reason: reason))
        case .key(let crypto):
            if let reason = SRTPReceiver.unsupported(crypto) { return .failure(KeyUnavailable(reason: reason)) }
            return .success(crypto)
        }
    }

    /// What a re-INVITE's answer changes on one stream.
    struct StreamChange {
        var slot: Int
        var accepting: Bool
        /// The payload types the receiver's SDP now lists (nil when it lists no codec siprecd decodes).
        var payloads: StreamPayloads?
        /// The sender's new SRTP key (made here, off the data plane), when the re-INVITE changed it.
        var rekey: SRTPReceiver? = nil
    }

    /// Applies a re-INVITE's answer: returns the change for every stream, and keeps the pause
    /// bookkeeping and metadata of the recording current.
    static func applyUpdate(_ session: ObservedSession, to recording: LiveRecording, atNanos nanos: Int64,
                            replayWindow: Int) -> [StreamChange] {
        var changes: [StreamChange] = []
        for (index, stream) in recording.streamsByMLine.enumerated() {
            guard let stream, let key = stream.key,
                  let observed = session.streams.first(where: {
                      $0.mLineIndex == stream.mLineIndex && EndpointKey(address: $0.destinationAddress, port: $0.destinationPort) == key
                  }) ?? session.streams.first(where: { $0.mLineIndex == stream.mLineIndex && $0.plainCallRole == nil })
            else { continue }
            recording.accepting[index] = observed.active
            var change = StreamChange(slot: index, accepting: observed.active,
                                      payloads: RecordingFactory.payloads(receiver: observed.receiverMedia))
            if case .key(let crypto) = observed.srtp, let current = recording.observedKeys[index], !SDPCrypto.sameKey(crypto, current),
               let receiver = try? SRTPReceiver(crypto: crypto, window: replayWindow) {
                recording.observedKeys[index] = crypto
                change.rekey = receiver
            }
            changes.append(change)
        }
        if let metadata = session.metadata {
            recording.metadata = metadata
            recording.refreshParticipants()
        }
        recording.updatePause(atNanos: nanos)
        return changes
    }

    /// SIPREC: the metadata decides (as in active mode). Plain call: From is the caller.
    static func assignment(for session: ObservedSession) -> ChannelAssignment {
        if session.isSiprec {
            return ChannelAssignment.assign(metadata: session.metadata, mediaLabels: session.streams.map(\.label))
        }
        let from = session.invite.from?.uri?.description, to = session.invite.to?.uri?.description
        let streams = session.streams.enumerated().map { index, stream in
            StreamAssignment(mLineIndex: index, label: stream.label,
                             role: stream.plainCallRole == "caller" ? .caller : .callee,
                             participantId: stream.plainCallRole, participantAoR: stream.plainCallRole == "caller" ? from : to)
        }
        return ChannelAssignment(streams: streams, reason: "Plain SIP call: the caller (From) is heard in the RTP sent to the address the 200 OK answered, the callee (To) in the RTP sent to the address the INVITE offered.")
    }

    static func plainParticipants(_ invite: SIPMessage) -> [ParticipantRecord] {
        var result: [ParticipantRecord] = []
        if let from = invite.from { result.append(ParticipantRecord(participantId: "caller", aor: from.uri?.description ?? from.rawURI, name: from.displayName, role: "caller")) }
        if let to = invite.to { result.append(ParticipantRecord(participantId: "callee", aor: to.uri?.description ?? to.rawURI, name: to.displayName, role: "callee")) }
        return result
    }
}
