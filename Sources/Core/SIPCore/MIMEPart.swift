/// One body part of a multipart (RFC 2046) body, such as the SDP or the
/// recording metadata of a SIPREC INVITE.
public struct MIMEPart: Sendable, Equatable {
    /// The part's headers in order.
    public var headers: [SIPHeader]
    /// The part's content, byte for byte.
    public var body: [UInt8]

    /// Creates a part.
    public init(headers: [SIPHeader], body: [UInt8]) {
        self.headers = headers
        self.body = body
    }

    /// The parsed Content-Type; nil when absent or malformed (RFC 2046 would then
    /// imply text/plain, but for SIPREC an untyped part is simply unusable).
    public var contentType: SIPContentType? { header("Content-Type").flatMap(SIPContentType.init(parsing:)) }

    /// The first value of a header, by case-insensitive name. SIP compact forms are
    /// not applied: they are not defined for MIME part headers.
    public func header(_ name: String) -> String? {
        let wanted = String(name.trimmingSIPWhitespace).asciiLowercased
        return headers.first(where: { $0.name.asciiLowercased == wanted })?.value
    }
}
