/// Alphabet for generated tokens: alphanumerics only, so a token is valid in
/// every SIP grammar position we use it in (tag, branch suffix, Call-ID) without escaping.
private let tokenAlphabet: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

/// Returns `length` random alphanumeric characters for To/From tags and Via branches.
///
/// Uses `SystemRandomNumberGenerator` (the OS CSPRNG) because RFC 3261 §19.3 requires
/// tags and branches to be globally unique and unguessable across restarts.
/// A negative length yields an empty string.
public func generateSIPToken(length: Int) -> String {
    guard length > 0 else { return "" }
    var generator = SystemRandomNumberGenerator()
    var result = ""
    result.reserveCapacity(length)
    for _ in 0..<length {
        // randomElement(using:) is unbiased, unlike a plain modulo of a random word.
        if let character = tokenAlphabet.randomElement(using: &generator) {
            result.append(character)
        }
    }
    return result
}
