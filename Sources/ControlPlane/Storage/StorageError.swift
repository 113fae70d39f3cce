/// Why a store could not be carried out; `message` is the STORERECORDINGFAILED reason.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
