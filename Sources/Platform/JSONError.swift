/// Why a JSON text was rejected, and where: `offset` is the byte offset into the input of the
/// byte that could not be accepted (the input length for an unexpected end).
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}
