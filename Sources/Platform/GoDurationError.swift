/// A duration text Go's `time.ParseDuration` would reject; the message is Go's wording
/// (`time: invalid duration "x"`), which Consul passes through to clients.
public struct GoDurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
