import JSON

extension JWTClaims {
    /// Reads and checks the claims of a payload whose signature has already been verified.
    /// `exp` is required and must not have passed, `nbf` (if any) must have arrived, each with
    /// `leeway` seconds of tolerance for clock skew; a token must name a tenant or be an admin token.
    init(payload: JSONValue, nowSeconds: Int64, leeway: Int64) throws(AuthError) {
        guard case .object(let members) = payload else {
            throw AuthError(.malformed, "the token payload is not a JSON object")
        }
        try JWTVerifier.rejectDuplicateMembers(members, in: "payload")

        guard let exp = try Self.seconds(payload["exp"], claim: "exp") else {
            throw AuthError(.malformed, "the token has no \"exp\" (expiry) claim; siprecd only accepts tokens that expire")
        }
        if exp <= nowSeconds.subtractingSaturated(leeway) {
            throw AuthError(.expired, "token expired at \(exp) (server time \(nowSeconds), \(leeway) s leeway)")
        }
        if let nbf = try Self.seconds(payload["nbf"], claim: "nbf"), nbf > nowSeconds.addingSaturated(leeway) {
            throw AuthError(.notYetValid, "token not valid before \(nbf) (server time \(nowSeconds), \(leeway) s leeway)")
        }
        let iat = try Self.seconds(payload["iat"], claim: "iat")
        let subject = try Self.string(payload["sub"], claim: "sub")
        let domain = try Self.string(payload["domain"], claim: "domain")
        if let domain, domain.isEmpty {
            throw AuthError(.malformed, "the token's \"domain\" claim is empty")
        }

        let admin: Bool
        switch payload["admin"] {
        case nil, .null?: admin = false
        case .bool(let flag)?: admin = flag
        default: throw AuthError(.malformed, "the token's \"admin\" claim must be true or false")
        }
        guard domain != nil || admin else {
            throw AuthError(.noTenant, "the token has no \"domain\" claim naming its tenant (and is not an \"admin\": true token)")
        }
        self.init(domain: domain, admin: admin, subject: subject, expiresAt: exp, issuedAt: iat)
    }

    /// A NumericDate claim (RFC 7519 §2): seconds, possibly fractional; fractions are dropped.
    private static func seconds(_ value: JSONValue?, claim: String) throws(AuthError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .int(let seconds)?: return seconds
        case .double(let seconds)?:
            let whole = seconds.rounded(.down)
            if whole >= -9.2e18, whole <= 9.2e18 { return Int64(whole) }
            throw AuthError(.malformed, "the token's \"\(claim)\" claim is out of range")
        default:
            throw AuthError(.malformed, "the token's \"\(claim)\" claim must be a number of seconds since 1970")
        }
    }

    private static func string(_ value: JSONValue?, claim: String) throws(AuthError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw AuthError(.malformed, "the token's \"\(claim)\" claim must be a string")
        }
    }
}

extension Int64 {
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    func subtractingSaturated(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other > 0 ? .min : .max) : difference
    }
}
