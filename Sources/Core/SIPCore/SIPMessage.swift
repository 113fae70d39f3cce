/// A parsed SIP request or response: start line, headers in received order, body bytes.
///
/// Headers keep their received names and order so a message can be relayed or
/// logged faithfully; lookups are case-insensitive and understand compact forms.
public struct SIPMessage: Sendable, Equatable {
    /// Request line or status line.
    public var startLine: SIPStartLine
    /// Headers in received order, folded lines already joined.
    public var headers: [SIPHeader]
    /// The body exactly as received (Content-Length bytes).
    public var body: [UInt8]

    /// Creates a message.
    public init(startLine: SIPStartLine, headers: [SIPHeader] = [], body: [UInt8] = []) {
        self.startLine = startLine
        self.headers = headers
        self.body = body
    }

    /// The request method (`INVITE`, `BYE`, …), or nil for a response.
    public var method: String? {
        if case .request(let method, _) = startLine { return method }
        return nil
    }

    /// The status code of a response, or nil for a request.
    public var statusCode: Int? {
        if case .response(let statusCode, _) = startLine { return statusCode }
        return nil
    }

    /// True when this is a request.
    public var isRequest: Bool { method != nil }

    /// The first value of a header, or nil when absent.
    ///
    /// Name lookup is case-insensitive and compact-form aware: `header("Call-ID")`
    /// finds `i: abc`, and `header("v")` finds `Via: …`.
    public func header(_ name: String) -> String? {
        let canonical = SIPHeader.canonicalName(name)
        return headers.first(where: { $0.hasName(canonical) })?.value
    }

    /// All values of all instances of a header, in order, split on commas that are
    /// outside quoted strings and `<...>`, e.g. two Via values on one line plus a
    /// third on another line give three strings.
    ///
    /// Only use this for headers whose grammar is a comma list (Via, Contact,
    /// Supported, Allow, …); a Date header would be split wrongly.
    public func headerValues(_ name: String) -> [String] {
        let canonical = SIPHeader.canonicalName(name)
        var values: [String] = []
        for header in headers where header.hasName(canonical) {
            for piece in splitOutsideQuotes(header.value[...], separator: ",", respectAngleBrackets: true) {
                let trimmed = piece.trimmingSIPWhitespace
                if !trimmed.isEmpty { values.append(String(trimmed)) }
            }
        }
        return values
    }

    /// Replaces every instance of a header with one `name: value` at the position of
    /// the first instance, or appends it when the header is absent.
    public mutating func setHeader(_ name: String, _ value: String) {
        let canonical = SIPHeader.canonicalName(name)
        guard let first = headers.firstIndex(where: { $0.hasName(canonical) }) else {
            headers.append(SIPHeader(name: name, value: value))
            return
        }
        headers[first] = SIPHeader(name: name, value: value)
        var index = headers.count - 1
        while index > first {
            if headers[index].hasName(canonical) { headers.remove(at: index) }
            index -= 1
        }
    }

    /// Appends a header after all existing ones.
    public mutating func addHeader(_ name: String, _ value: String) {
        headers.append(SIPHeader(name: name, value: value))
    }

    /// A copy without any instance of the header (compact forms included).
    public func removingHeaders(_ name: String) -> SIPMessage {
        let canonical = SIPHeader.canonicalName(name)
        var copy = self
        copy.headers.removeAll(where: { $0.hasName(canonical) })
        return copy
    }
}
