import Auth
import Testing

@Suite("HTTP Basic credentials and users")
struct BasicAuthTests {
    @Test("a Basic header parses into user and password; the password may contain ':'")
    func parse() throws {
        // base64("installer:s3cret") computed with `printf installer:s3cret | base64`.
        #expect(try BasicCredentials(authorization: "Basic aW5zdGFsbGVyOnMzY3JldA==")
                == BasicCredentials(user: "installer", password: "s3cret"))
        #expect(try BasicCredentials(authorization: "bAsIc   aW5zdGFsbGVyOnMzY3JldA==  ").user == "installer")
        // Unpadded is tolerated.
        #expect(try BasicCredentials(token: "aW5zdGFsbGVyOnMzY3JldA").password == "s3cret")
        // "a:b:c" → user "a", password "b:c".
        #expect(try BasicCredentials(token: "YTpiOmM=") == BasicCredentials(user: "a", password: "b:c"))
        // "u:" → empty password.
        #expect(try BasicCredentials(token: "dTo=") == BasicCredentials(user: "u", password: ""))
        // UTF-8: "zoë:pässword".
        #expect(try BasicCredentials(token: "em/Dqzpww6Rzc3dvcmQ=") == BasicCredentials(user: "zoë", password: "pässword"))
    }

    @Test("no colon, an empty user, bad base64 or another scheme are malformed")
    func malformed() {
        // "installer" alone.
        #expect(failure { try BasicCredentials(token: "aW5zdGFsbGVy") }?.code == .malformed)
        #expect(failure { try BasicCredentials(token: "aW5zdGFsbGVy") }?.message.contains("':'") == true)
        // ":secret".
        #expect(failure { try BasicCredentials(token: "OnNlY3JldA==") }?.code == .malformed)
        #expect(failure { try BasicCredentials(token: "not base64!") }?.code == .malformed)
        #expect(failure { try BasicCredentials(token: "aW5zdGFsbGVyOnMzY3JldA=") }?.code == .malformed)
        #expect(failure { try BasicCredentials(token: "a") }?.code == .malformed)
        // URL-alphabet characters are not standard base64: "??>" is Pz8+ in standard, Pz8- in URL form.
        #expect(failure { try BasicCredentials(token: "Pz8-") }?.code == .malformed)
        // Not UTF-8: 0xFF 0x3A 0x78.
        #expect(failure { try BasicCredentials(token: "/zp4") }?.code == .malformed)
        #expect(failure { try BasicCredentials(authorization: "Bearer aW5zdGFsbGVyOnMzY3JldA==") }?.code == .malformed)
        #expect(failure { try BasicCredentials(authorization: "Basic") }?.code == .malformed)
    }

    @Test("users check passwords exactly: wrong password, unknown user, case and prefixes fail")
    func users() {
        let users = BasicUsers(["installer": "s3cret", "ops": "correct horse battery staple"])
        #expect(users.count == 2)
        #expect(users.check(user: "installer", password: "s3cret"))
        #expect(users.check(BasicCredentials(user: "ops", password: "correct horse battery staple")))
        #expect(!users.check(user: "installer", password: "wrong"))
        #expect(!users.check(user: "installer", password: "s3cre"))
        #expect(!users.check(user: "installer", password: "s3cret "))
        #expect(!users.check(user: "installer", password: ""))
        #expect(!users.check(user: "Installer", password: "s3cret"))
        #expect(!users.check(user: "nobody", password: "s3cret"))
        #expect(!users.check(user: "ops", password: "s3cret"))
        #expect(BasicUsers([:]).isEmpty)
        #expect(!BasicUsers([:]).check(user: "", password: ""))
    }
}
