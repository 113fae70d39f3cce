import JSON
import Signatures

extension JWTVerifier {
    /// Verifies a compact JWS token and returns its claims.
    ///
    /// Order matters: the header is read only to learn `alg`, the signature over the ASCII bytes of
    /// "header.payload" is checked next, and only then is the payload parsed and its times checked.
    public func verify(_ token: String, nowSeconds: Int64) throws(AuthError) -> JWTClaims {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty else { throw AuthError(.missing, "the bearer token is empty") }
        guard bytes.count <= Self.maxTokenLength else {
            throw AuthError(.malformed, "the token is \(bytes.count) bytes; the limit is \(Self.maxTokenLength)")
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw AuthError(.malformed, "a JWT has three base64url parts separated by '.'; this token has \(parts.count)")
        }

        let header = try Self.json(parts[0], part: "header")
        guard case .object(let headerMembers) = header else {
            throw AuthError(.malformed, "the token header is not a JSON object")
        }
        try Self.rejectDuplicateMembers(headerMembers, in: "header")
        guard case .string(let alg)? = header["alg"] else {
            throw AuthError(.malformed, "the token header has no \"alg\"")
        }
        if header["crit"] != nil {
            throw AuthError(.malformed, "the token header lists \"crit\" extensions, which siprecd does not support")
        }
        let algorithm = try acceptedAlgorithm(alg)

        guard !parts[2].isEmpty else { throw AuthError(.badSignature, "the token carries no signature") }
        guard let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)) else {
            throw AuthError(.malformed, "the token signature is not valid base64url")
        }
        let signingInput = Array(bytes[..<parts[1].endIndex])
        guard isValidSignature(signature, over: signingInput, algorithm: algorithm) else {
            throw AuthError(.badSignature, "the \(alg) signature does not match the configured key")
        }

        let payload = try Self.json(parts[1], part: "payload")
        return try JWTClaims(payload: payload, nowSeconds: nowSeconds, leeway: Self.leewaySeconds)
    }

    /// Base64url, then UTF-8, then JSON.
    static func json(_ part: ArraySlice<UInt8>, part name: String) throws(AuthError) -> JSONValue {
        guard let decoded = Base64URL.decode(String(decoding: part, as: UTF8.self)) else {
            throw AuthError(.malformed, "the token \(name) is not valid base64url")
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw AuthError(.malformed, "the token \(name) is not UTF-8")
        }
        do {
            return try JSONValue.parse(text, maxDepth: 16)
        } catch {
            throw AuthError(.malformed, "the token \(name) is not valid JSON (\(error))")
        }
    }

    /// Two members with one name would let a reader and a verifier disagree about a token.
    static func rejectDuplicateMembers(_ members: [(String, JSONValue)], in part: String) throws(AuthError) {
        var seen = Set<String>()
        for (name, _) in members where !seen.insert(name).inserted {
            throw AuthError(.malformed, "the token \(part) has \"\(name)\" twice")
        }
    }
}
