/// Turns an `Authorization` header into a `Principal`: a bearer JWT everywhere, and HTTP Basic where
/// the caller allows it (for example the dashboard on a trusted network).
public struct Authenticator: Sendable {
    public let jwt: JWTVerifier?
    public let basic: BasicUsers?

    public init(jwt: JWTVerifier?, basic: BasicUsers?) {
        self.jwt = jwt
        self.basic = basic
    }

    /// - Parameters:
    ///   - authorization: the `Authorization` header value, or nil when the request has none.
    ///   - allowBasic: whether this route accepts Basic credentials.
    ///   - nowSeconds: the current time, seconds since the Unix epoch.
    /// - Returns: "Bearer <jwt>" → the token's `sub` (or "jwt") confined to its `domain`, or to no
    ///   tenant for an admin token; "Basic …" → the user, for every tenant.
    public func authenticate(authorization: String?, allowBasic: Bool, nowSeconds: Int64) -> Result<Principal, AuthError> {
        let basicAllowed = allowBasic && basic.map { !$0.isEmpty } == true
        guard let authorization, authorization.contains(where: { $0 != " " && $0 != "\t" }) else {
            return .failure(AuthError(.missing, "authentication required: send \"Authorization: \(expectedSchemes(basicAllowed))\""))
        }
        guard let (scheme, credentials) = AuthorizationHeader.split(authorization) else {
            return .failure(AuthError(.malformed, "the Authorization header must be \"<scheme> <credentials>\", e.g. \"Bearer <token>\""))
        }
        switch AuthorizationHeader.lowercased(scheme) {
        case "bearer":
            guard let jwt else {
                return .failure(AuthError(.missing, "bearer tokens are not accepted: no JWT secret or key is configured"))
            }
            return Result { () throws(AuthError) in
                let claims = try jwt.verify(String(credentials), nowSeconds: nowSeconds)
                let name = claims.subject.flatMap { $0.isEmpty ? nil : $0 } ?? "jwt"
                return Principal(name: name, domain: claims.admin ? nil : claims.domain)
            }
        case "basic":
            guard basicAllowed, let basic else {
                return .failure(AuthError(.missing, "Basic authentication is not accepted here; send \"Authorization: Bearer <token>\""))
            }
            return Result { () throws(AuthError) in
                let user = try BasicCredentials(token: credentials)
                guard basic.check(user) else {
                    throw AuthError(.badSignature, "wrong user name or password")
                }
                return Principal(name: user.user, domain: nil)
            }
        default:
            return .failure(AuthError(.missing,
                "authorization scheme \"\(AuthorizationHeader.shown(scheme))\" is not supported; send \"Authorization: \(expectedSchemes(basicAllowed))\""))
        }
    }

    private func expectedSchemes(_ basicAllowed: Bool) -> String {
        switch (jwt != nil, basicAllowed) {
        case (true, true): "Bearer <token>\" or \"Basic <base64 of user:password>"
        case (false, true): "Basic <base64 of user:password>"
        default: "Bearer <token>"
        }
    }
}
