/// The error configuration loading throws: the file is not valid TOML, or it is valid TOML that
/// does not describe a valid siprecd configuration.
///
/// `description` is what operators see, e.g. "line 3: unknown key 'media.rtpPort' (did you mean
/// 'rtpPorts'?)". `code` lets callers branch without string matching.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What class of problem was found.
    public enum Code: String, Sendable, Equatable {
        /// The text is not valid TOML (see ``TOMLError``).
        case syntax
        /// A key or section siprecd does not know.
        case unknownKey
        /// A key holds the wrong TOML type (a string where an integer belongs, ...).
        case wrongType
        /// A value has the right type but is malformed or out of range.
        case invalidValue
    }

    /// What class of problem was found.
    public var code: Code
    /// The 1-based line of the offending key, when known (values set in code have none).
    public var line: Int?
    /// What is wrong, without the line prefix.
    public var message: String

    /// Creates an error.
    public init(code: Code, line: Int?, message: String) {
        self.code = code
        self.line = line
        self.message = message
    }

    /// Wraps a TOML syntax error.
    public init(_ error: TOMLError) {
        self.init(code: .syntax, line: error.line, message: error.message)
    }

    public var description: String {
        if let line { "line \(line): \(message)" } else { message }
    }
}
