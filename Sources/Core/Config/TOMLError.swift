/// A TOML syntax or structure error, with the 1-based line it was found on.
///
/// `description` reads like "line 7: expected '=' after key 'listen'". Configuration loading
/// wraps it in a ``ConfigError`` with code ``ConfigError/Code/syntax``.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the problem.
    public var line: Int
    /// What is wrong, without the line prefix.
    public var message: String

    /// Creates an error for `line`.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
