import SIPCore

/// Identifies a server transaction (RFC 3261 §17.2.3): the top Via's branch and sent-by, and the
/// method (ACK folds into INVITE; CANCEL has its own transaction with the same branch).
struct TransactionKey: Hashable {
    var branch: String
    var sentBy: String
    var method: String

    init?(_ message: SIPMessage) {
        guard let via = message.via.first, let cseq = message.cseq else { return nil }
        let method = message.method ?? cseq.method
        self.method = method == "ACK" ? "INVITE" : method
        sentBy = "\(via.host):\(via.port ?? 5060)"
        if let branch = via.branch, branch.hasPrefix("z9hG4bK") {
            self.branch = branch
        } else {
            // RFC 2543 peers: fall back to the request's identity.
            self.branch = "\(message.callID ?? "")|\(cseq.number)|\(message.from?.tag ?? "")"
        }
    }
}
