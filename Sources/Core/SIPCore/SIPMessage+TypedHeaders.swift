extension SIPMessage {
    /// The Call-ID header value.
    public var callID: String? { header("Call-ID") }

    /// The parsed CSeq header, or nil when absent or malformed.
    public var cseq: SIPCSeq? { header("CSeq").flatMap(SIPCSeq.init(parsing:)) }

    /// Every Via value in order (topmost first), across all Via lines.
    /// Values that do not parse are skipped; use `headerValues("Via")` for the raw text.
    public var via: [SIPVia] { headerValues("Via").compactMap(SIPVia.init(parsing:)) }

    /// The parsed From header.
    public var from: SIPNameAddr? { header("From").flatMap(SIPNameAddr.init(parsing:)) }

    /// The parsed To header.
    public var to: SIPNameAddr? { header("To").flatMap(SIPNameAddr.init(parsing:)) }

    /// Every Contact value in order; values that do not parse are skipped.
    public var contact: [SIPNameAddr] { headerValues("Contact").compactMap(SIPNameAddr.init(parsing:)) }

    /// The parsed Content-Type header.
    public var contentType: SIPContentType? { header("Content-Type").flatMap(SIPContentType.init(parsing:)) }

    /// The parsed Request-URI of a request; nil for responses or unsupported schemes.
    public var requestURI: SIPURI? {
        if case .request(_, let uri) = startLine { return SIPURI(parsing: uri) }
        return nil
    }
}
