import SIPCore

/// What siprecd asks of session timers (RFC 4028), from `[sip] sessionExpires` and `minSessionExpires`.
public struct SessionTimerSettings: Sendable, Equatable {
    /// The interval siprecd asks for when the SRC supports timers but asked for none; 0: ask for none.
    public var sessionExpires: Int
    /// Min-SE: a smaller Session-Expires is refused with 422.
    public var minimum: Int

    public init(sessionExpires: Int = 1_800, minimum: Int = 90) {
        self.sessionExpires = sessionExpires
        self.minimum = minimum
    }
}

/// The RFC 4028 session timer of one dialog, negotiated by siprecd as the UAS. A pure value: the SIP
/// server arms the timers it implies.
///
/// - The refresher `uac` is the SRC: it must refresh (re-INVITE or UPDATE) within the interval; siprecd
///   ends the session with a BYE `min(32, interval / 3)` seconds before it expires (§10).
/// - The refresher `uas` is siprecd: it refreshes with an UPDATE (a re-INVITE if the SRC does not take
///   UPDATE) at half the interval (§7.4).
struct SessionTimer: Equatable, Sendable {
    enum Refresher: String, Sendable { case uac, uas }

    /// Session-Expires, seconds.
    var interval: Int
    var refresher: Refresher
    /// The SRC supports timers (`Supported: timer`): the 2xx then carries `Require: timer`.
    var peerSupports: Bool

    enum Negotiation: Equatable {
        /// No session timer for this dialog.
        case none
        case timer(SessionTimer)
        /// Session-Expires below our Min-SE: answer 422 with `Min-SE: minimum`.
        case tooSmall(minimum: Int)

        /// The dialog's timer after this negotiation (nil for none, and for a refusal).
        var negotiated: SessionTimer? {
            if case .timer(let timer) = self { return timer }
            return nil
        }
    }

    /// The timer an INVITE or UPDATE asks for (RFC 4028 §9).
    static func negotiate(_ request: SIPMessage, settings: SessionTimerSettings) -> Negotiation {
        let supported = (request.headerValues("Supported") + request.headerValues("Require")).contains { $0.lowercased() == "timer" }
        let requestMinimum = request.header("Min-SE").flatMap { deltaSeconds($0) } ?? 0
        guard let header = request.header("Session-Expires") else {
            guard supported, settings.sessionExpires > 0 else { return .none }
            let interval = max(settings.sessionExpires, settings.minimum, requestMinimum)
            return .timer(SessionTimer(interval: interval, refresher: .uac, peerSupports: true))
        }
        guard let interval = deltaSeconds(header) else { return .none }
        guard interval >= settings.minimum else { return .tooSmall(minimum: settings.minimum) }
        let asked = parameter("refresher", in: header).map { $0.lowercased() }
        // A refresher the SRC cannot be (it does not support timers) is siprecd.
        let refresher: Refresher = asked == "uas" || !supported ? .uas : .uac
        return .timer(SessionTimer(interval: interval, refresher: refresher, peerSupports: supported))
    }

    /// Headers of the 2xx that confirms the timer.
    var responseHeaders: [SIPHeader] {
        var headers = [SIPHeader(name: "Session-Expires", value: "\(interval);refresher=\(refresher.rawValue)")]
        if peerSupports { headers.append(SIPHeader(name: "Require", value: "timer")) }
        return headers
    }

    /// Seconds after a refresh at which siprecd acts: refreshes (it is the refresher) or ends the
    /// session as expired (the SRC is).
    var actionDelay: Int {
        refresher == .uas ? max(1, interval / 2) : max(1, interval - min(32, interval / 3))
    }

    /// The leading delta-seconds of a header value ("1800;refresher=uac" → 1800), bounded.
    static func deltaSeconds(_ value: String) -> Int? {
        let digits = value.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let seconds = Int(digits) else { return nil }
        return seconds
    }

    static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { String($0).trimmingSIPSpaces }
            if pair.count == 2, pair[0].lowercased() == name { return pair[1] }
        }
        return nil
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

private extension String {
    var trimmingSIPSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
