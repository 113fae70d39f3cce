import SystemLayer
import API
import Auth
import Config
import JSON

#if canImport(Glibc)
import Glibc
#endif

/// `[api] auth`: "none" (loopback only), "jwt" (Bearer tokens everywhere, Basic users also on the
/// device API) or "basic" (Basic users everywhere, for every tenant).
struct APIAuthentication: RequestAuthenticator {
    let authenticator: Authenticator
    let basicEverywhere: Bool

    /// nil when authentication is off.
    static func make(_ api: APISettings) throws(FileSystemError) -> APIAuthentication? {
        switch api.auth {
        case "none":
            return nil
        case "basic":
            guard !api.basicUsers.isEmpty else {
                throw FileSystemError(message: "api.auth = \"basic\" needs at least one user in api.basicUsers")
            }
            return APIAuthentication(authenticator: Authenticator(jwt: nil, basic: BasicUsers(api.basicUsers)), basicEverywhere: true)
        default:
            var pem: String?
            if let file = api.jwtPublicKeyFile {
                guard let text = FileSystem.readText(file, limit: 65_536) else {
                    throw FileSystemError(message: "api.jwtPublicKeyFile '\(file)' cannot be read")
                }
                pem = text
            }
            guard api.jwtSecret != nil || pem != nil else {
                throw FileSystemError(message: "api.auth = \"jwt\" needs api.jwtSecret (HS256) or api.jwtPublicKeyFile (RS256/ES256)")
            }
            let verifier: JWTVerifier
            do {
                verifier = try JWTVerifier(hs256Secret: api.jwtSecret.map { Array($0.utf8) }, publicKeyPEM: pem)
            } catch {
                throw FileSystemError(message: "api JWT settings: \(error.message)")
            }
            let basic = api.basicUsers.isEmpty ? nil : BasicUsers(api.basicUsers)
            return APIAuthentication(authenticator: Authenticator(jwt: verifier, basic: basic), basicEverywhere: false)
        }
    }

    func authenticate(authorization: String?, allowBasic: Bool) -> Result<APICaller, AuthenticationFailure> {
        let now = WallClock.unixMillis() / 1000
        switch authenticator.authenticate(authorization: authorization, allowBasic: allowBasic || basicEverywhere, nowSeconds: now) {
        case .success(let principal): return .success(APICaller(name: principal.name, domain: principal.domain))
        case .failure(let error): return .failure(AuthenticationFailure(error.message))
        }
    }
}
