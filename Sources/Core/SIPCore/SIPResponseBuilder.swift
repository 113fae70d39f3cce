/// Builds responses to requests (RFC 3261 §8.2.6).
public enum SIPResponseBuilder {
    /// Builds a response to `request`.
    ///
    /// Copies every Via (in order, values untouched so the response routes back
    /// along the same path), From, To, Call-ID and CSeq. When `toTag` is given and
    /// To has no tag yet, `;tag=toTag` is appended (pass nil for 100 Trying, which
    /// must not create a dialog). Then `extraHeaders`, Content-Type when given,
    /// and Content-Length. The reason defaults to ``reasonPhrase(_:)``.
    ///
    /// Works on requests that failed ``SIPParser/validateRequest(_:)``: absent
    /// headers are simply not copied, so a 400 can still be sent.
    public static func response(
        to request: SIPMessage,
        statusCode: Int,
        reason: String? = nil,
        toTag: String?,
        extraHeaders: [SIPHeader] = [],
        body: [UInt8] = [],
        contentType: String? = nil
    ) -> SIPMessage {
        var headers: [SIPHeader] = []
        // Via lines are copied per line (not re-split) to keep them byte-identical.
        for header in request.headers where header.hasName("via") {
            headers.append(SIPHeader(name: "Via", value: header.value))
        }
        if let from = request.header("From") {
            headers.append(SIPHeader(name: "From", value: from))
        }
        if let to = request.header("To") {
            headers.append(SIPHeader(name: "To", value: addingTag(toTag, to: to)))
        }
        if let callID = request.callID {
            headers.append(SIPHeader(name: "Call-ID", value: callID))
        }
        if let cseq = request.header("CSeq") {
            headers.append(SIPHeader(name: "CSeq", value: cseq))
        }
        headers.append(contentsOf: extraHeaders.filter { !$0.hasName("content-length") })
        if let contentType {
            headers.append(SIPHeader(name: "Content-Type", value: contentType))
        }
        headers.append(SIPHeader(name: "Content-Length", value: String(body.count)))
        let clampedCode = min(max(statusCode, 100), 699)
        return SIPMessage(
            startLine: .response(statusCode: clampedCode, reason: reason ?? reasonPhrase(clampedCode)),
            headers: headers,
            body: body
        )
    }

    /// Appends `;tag=` to a To value unless it already carries a tag.
    private static func addingTag(_ tag: String?, to value: String) -> String {
        guard let tag, !tag.isEmpty else { return value }
        if let parsed = SIPNameAddr(parsing: value), parsed.tag != nil { return value }
        // Appending to the raw text keeps the peer's formatting; parameters at
        // the end are header parameters in both name-addr and addr-spec forms.
        return value + ";tag=" + tag
    }
}
