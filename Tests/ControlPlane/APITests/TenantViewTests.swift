import Testing
@testable import API

@Suite("Whose data a read shows")
struct TenantViewTests {
    func view(_ caller: APICaller, credentialed: Bool = true, domain: String? = nil) -> APIRouter.ViewDecision {
        APIRouter.view(of: caller, credentialed: credentialed, query: domain.map { ["domain": $0] } ?? [:])
    }

    func seen(_ decision: APIRouter.ViewDecision) -> APIView? {
        if case .seen(let view) = decision { return view }
        return nil
    }

    func refusal(_ decision: APIRouter.ViewDecision) -> UInt? {
        if case .refused(let response) = decision { return response.status.code }
        return nil
    }

    @Test("Admin callers and the control socket see the box, or one tenant when they ask")
    func admin() {
        #expect(seen(view(.local)) == .device)
        #expect(seen(view(APICaller(name: "ops", domain: nil))) == .device)
        #expect(seen(view(.local, domain: "B.Example")) == .tenant("b.example"))
        #expect(seen(view(.local, domain: "")) == .device)
    }

    @Test("A tenant token is confined to its own domain and refused another's")
    func tenant() {
        let a = APICaller(name: "app", domain: "A.example")
        #expect(seen(view(a)) == .tenant("a.example"))
        #expect(seen(view(a, domain: "a.EXAMPLE")) == .tenant("a.example"))
        #expect(refusal(view(a, domain: "b.example")) == 403)
    }

    @Test("Without credentials only the anonymous view; asking for a tenant needs credentials; bad names are 400")
    func anonymousAndBadNames() {
        #expect(seen(view(.anonymous, credentialed: false)) == .anonymous)
        #expect(refusal(view(.anonymous, credentialed: false, domain: "a.example")) == 401)
        #expect(refusal(view(.local, domain: "a b")) == 400)
        #expect(refusal(view(.local, domain: "a/b")) == 400)
        #expect(refusal(view(.local, domain: "a\u{1B}b")) == 400)
        #expect(refusal(view(.local, domain: String(repeating: "a", count: 254))) == 400)
    }
}
