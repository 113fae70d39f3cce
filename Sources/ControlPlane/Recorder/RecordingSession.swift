import Capture
import Config
import RecordingMetadata
import SIPCore

/// One recording session with an SRC (RFC 7866): a SIP dialog siprecd answered (or observes), its media
/// ports, and the recordings made from it. A session records at most one recording at a time; with
/// `trigger = rest` it may have none (media flows, nothing is written) and may make several, related
/// recordings over its life (REST start, stop, start again). Confined to the control event loop.
final class RecordingSession: @unchecked Sendable {
    // @unchecked: confined to the control event loop; crosses closures only to come back to it.
    let dialogID: String
    /// What the session is about in SIP terms, kept current (metadata, channel assignment) for the next
    /// recording.
    var origin: RecordingOrigin
    /// The recording rule's decision: trigger, role and call key.
    let decision: RuleMatcher.Decision
    /// One entry per offered m-line: how to record it (nil when the m-line was refused).
    var plans: [StreamPlan?]
    /// The SDP direction last agreed for each m-line: whether its stream may take packets at all.
    var sdpAccepting: [Bool]
    /// The session's RTP sockets (active mode), read by the capture thread from the 200 OK on.
    var sockets: [RTPSocket]
    /// The SDP answer we last gave (re-sent for metadata-only updates).
    var lastAnswer: SDPSession?
    /// The SRTP policy the session was answered under: its re-INVITEs and UPDATEs are held to it, whatever
    /// a reload changed since (that applies to new offers).
    var security = SDPSecurityPolicy.plainRTP
    /// The recording in progress, if any.
    var current: LiveRecording?
    /// Every recording made from this session, oldest first (related recordings).
    var recordingIds: [String] = []
    var ending = false
    /// The RFC 7865 metadata body of the INVITE as received (for newCall and RECORDINGSTARTED).
    var metadataText: String?
    /// Monotonic time since which no recording is in progress (the 200 OK, or the last stop): with no
    /// RTP on the session's ports for `rtpTimeout` after it, the SRC is gone and the session is ended.
    var idleSinceNanos: Int64 = 0
    /// Since when the SRC holds every stream (no RTP expected), or nil; and when it was last probed.
    var heldSinceNanos: Int64?
    var probedAtNanos: Int64 = 0
    /// When the last hold ended: RTP is expected again from then on.
    var heldUntilNanos: Int64 = 0

    init(dialogID: String, origin: RecordingOrigin, decision: RuleMatcher.Decision, plans: [StreamPlan?], sockets: [RTPSocket]) {
        self.dialogID = dialogID
        self.origin = origin
        self.decision = decision
        self.plans = plans
        self.sockets = sockets
        sdpAccepting = plans.map { $0?.accepting ?? false }
    }

    var callKey: String? { decision.callKey }
    var role: String { decision.rule.role }
    var trigger: RecordingRule.Trigger { decision.rule.trigger }
    /// User part of the SIPREC INVITE's Request-URI (what `callRecordingDestUsername` is matched against).
    var destUser: String { origin.requestURI?.user ?? "" }
    /// The tenant: host part of the Request-URI.
    var domain: String { origin.requestURI?.host ?? "" }
}
