/// A template that failed to parse or execute (e.g. `key does not exist: /x`). The
/// destination is never touched when rendering fails.
public struct ConfdRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
