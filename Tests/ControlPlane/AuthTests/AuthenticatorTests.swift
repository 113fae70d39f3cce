import Auth
import Testing

@Suite("Authenticator: Authorization header to principal")
struct AuthenticatorTests {
    let both = Authenticator(jwt: JWTVerifier.hs256(), basic: BasicUsers(["installer": "s3cret"]))

    func principal(_ header: String?, allowBasic: Bool = false, _ authenticator: Authenticator? = nil) -> Principal? {
        try? (authenticator ?? both).authenticate(authorization: header, allowBasic: allowBasic, nowSeconds: now).get()
    }

    func code(_ header: String?, allowBasic: Bool = false, _ authenticator: Authenticator? = nil) -> AuthError.Code? {
        switch (authenticator ?? both).authenticate(authorization: header, allowBasic: allowBasic, nowSeconds: now) {
        case .success: nil
        case .failure(let error): error.code
        }
    }

    @Test("a bearer token becomes its subject confined to its domain; an admin token to no tenant")
    func bearer() {
        let token = TokenFactory.hs256(payload: TokenFactory.payload(domain: "tenant-a.example", sub: "pbx-1"))
        #expect(principal("Bearer " + token) == Principal(name: "pbx-1", domain: "tenant-a.example"))
        #expect(principal("bearer " + token)?.name == "pbx-1")
        #expect(principal("BEARER   \(token)  ")?.name == "pbx-1")

        let anonymous = TokenFactory.hs256(payload: TokenFactory.payload(sub: nil))
        #expect(principal("Bearer " + anonymous) == Principal(name: "jwt", domain: "sip.example.com"))

        let admin = TokenFactory.hs256(payload: TokenFactory.payload(domain: "tenant-a.example", admin: true))
        let adminPrincipal = principal("Bearer " + admin)
        #expect(adminPrincipal == Principal(name: "alice", domain: nil))
        #expect(adminPrincipal?.isAdmin == true)
        #expect(adminPrincipal?.mayAccess(domain: "tenant-b.example") == true)
    }

    @Test("bearer failures carry the verifier's error")
    func bearerFailures() {
        let expired = TokenFactory.hs256(payload: TokenFactory.payload(exp: now - 3600))
        #expect(code("Bearer " + expired) == .expired)
        #expect(code("Bearer " + TokenFactory.hs256(payload: TokenFactory.payload(domain: nil))) == .noTenant)
        #expect(code("Bearer not.a.token") == .malformed)
        let noJWT = Authenticator(jwt: nil, basic: BasicUsers(["installer": "s3cret"]))
        #expect(code("Bearer " + TokenFactory.hs256(), noJWT) == .missing)
    }

    @Test("Basic works only where allowed and configured, and gives access to every tenant")
    func basic() {
        let header = "Basic aW5zdGFsbGVyOnMzY3JldA=="
        #expect(principal(header, allowBasic: true) == Principal(name: "installer", domain: nil))
        #expect(principal("basic aW5zdGFsbGVyOnMzY3JldA==", allowBasic: true)?.name == "installer")
        #expect(code(header, allowBasic: false) == .missing)
        let jwtOnly = Authenticator(jwt: JWTVerifier.hs256(), basic: nil)
        #expect(code(header, allowBasic: true, jwtOnly) == .missing)
        #expect(code(header, allowBasic: true, Authenticator(jwt: nil, basic: BasicUsers([:]))) == .missing)
    }

    @Test("Basic with a wrong password or unknown user is refused without saying which")
    func basicFailures() {
        // installer:wrong, nobody:s3cret
        let wrongPassword = failure {
            try both.authenticate(authorization: "Basic aW5zdGFsbGVyOndyb25n", allowBasic: true, nowSeconds: now).get()
        }
        let unknownUser = failure {
            try both.authenticate(authorization: "Basic bm9ib2R5OnMzY3JldA==", allowBasic: true, nowSeconds: now).get()
        }
        #expect(wrongPassword?.code == .badSignature)
        #expect(wrongPassword == unknownUser)
        #expect(code("Basic aW5zdGFsbGVy", allowBasic: true) == .malformed)
        #expect(code("Basic %%%", allowBasic: true) == .malformed)
    }

    @Test("no header, an empty one, a bare scheme or an unknown scheme")
    func missingOrMalformed() {
        #expect(code(nil) == .missing)
        #expect(code("") == .missing)
        #expect(code("   ") == .missing)
        #expect(code("Bearer") == .malformed)
        #expect(code("Bearer   ") == .malformed)
        #expect(code(TokenFactory.hs256()) == .malformed)
        #expect(code("Digest username=\"x\"") == .missing)
        let error = both.authenticate(authorization: nil, allowBasic: true, nowSeconds: now)
        guard case .failure(let missing) = error else { Issue.record("expected a failure"); return }
        #expect(missing.message.contains("Bearer") && missing.message.contains("Basic"))
    }

    @Test("a tenant principal may access only its own domain, case-insensitively")
    func tenantAccess() {
        let principal = Principal(name: "pbx-1", domain: "Tenant-A.example")
        #expect(principal.mayAccess(domain: "tenant-a.example"))
        #expect(!principal.mayAccess(domain: "tenant-b.example"))
        #expect(!principal.isAdmin)
    }
}
