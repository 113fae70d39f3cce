import Auth
import Testing

@Suite("JWT claims: times and tenants")
struct JWTClaimsTests {
    let verifier = JWTVerifier.hs256()

    func verify(_ payload: String, at time: Int64 = now) throws(AuthError) -> JWTClaims {
        try verifier.verify(TokenFactory.hs256(payload: payload), nowSeconds: time)
    }

    @Test("exp is required, and expiry honours 30 s of leeway")
    func expiry() throws {
        #expect(failure { try verify(TokenFactory.payload(exp: nil)) }?.code == .malformed)
        // exp = now - 29: within leeway.
        #expect(try verify(TokenFactory.payload(exp: now - 29)).expiresAt == now - 29)
        // exp = now - 30: expired.
        let error = failure { try verify(TokenFactory.payload(exp: now - 30)) }
        #expect(error?.code == .expired)
        #expect(error?.message.hasPrefix("token expired at \(now - 30)") == true)
        #expect(failure { try verify(TokenFactory.payload(exp: 1)) }?.code == .expired)
    }

    @Test("nbf in the future beyond the leeway is not yet valid; within it, accepted")
    func notBefore() throws {
        #expect(try verify(TokenFactory.payload(nbf: now + 30)).subject == "alice")
        let error = failure { try verify(TokenFactory.payload(nbf: now + 31)) }
        #expect(error?.code == .notYetValid)
        #expect(error?.message.hasPrefix("token not valid before \(now + 31)") == true)
        #expect(try verify(TokenFactory.payload(nbf: now - 100)).subject == "alice")
    }

    @Test("fractional NumericDates are accepted; extreme ones neither crash nor pass")
    func numericDates() throws {
        #expect(try verify(#"{"domain":"d.example","exp":1700003600.75}"#).expiresAt == 1_700_003_600)
        #expect(failure { try verify(#"{"domain":"d.example","exp":-9223372036854775808}"#) }?.code == .expired)
        #expect(try verify(#"{"domain":"d.example","exp":9223372036854775807}"#).expiresAt == .max)
        #expect(failure { try verify(#"{"domain":"d.example","exp":1e300}"#) }?.code == .malformed)
        #expect(failure { try verify(#"{"domain":"d.example","exp":"tomorrow"}"#) }?.code == .malformed)
    }

    @Test("a token without a domain is refused unless it is an admin token")
    func tenants() throws {
        let error = failure { try verify(TokenFactory.payload(domain: nil)) }
        #expect(error?.code == .noTenant)
        #expect(failure { try verify(TokenFactory.payload(domain: nil, admin: false)) }?.code == .noTenant)
        let admin = try verify(TokenFactory.payload(domain: nil, admin: true))
        #expect(admin.admin && admin.domain == nil)
        #expect(failure { try verify(TokenFactory.payload(domain: "")) }?.code == .malformed)
        #expect(failure { try verify(#"{"domain":7,"exp":1700003600}"#) }?.code == .malformed)
        #expect(failure { try verify(#"{"domain":"d.example","admin":"yes","exp":1700003600}"#) }?.code == .malformed)
    }

    @Test("sub and iat are optional but must have the right type")
    func optionalClaims() throws {
        let bare = try verify(TokenFactory.payload(sub: nil, iat: nil))
        #expect(bare.subject == nil && bare.issuedAt == nil)
        #expect(failure { try verify(#"{"domain":"d.example","sub":1,"exp":1700003600}"#) }?.code == .malformed)
        #expect(failure { try verify(#"{"domain":"d.example","iat":true,"exp":1700003600}"#) }?.code == .malformed)
    }

    @Test("the payload must be one JSON object without repeated members")
    func payloadShape() {
        #expect(failure { try verify("[1,2]") }?.code == .malformed)
        #expect(failure { try verify("not json") }?.code == .malformed)
        let twice = #"{"domain":"a.example","domain":"b.example","exp":1700003600}"#
        #expect(failure { try verify(twice) }?.code == .malformed)
    }
}
