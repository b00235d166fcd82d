import Platform

/// Answers requests. Called on the connection's event loop; must not block. A handler
/// that needs to wait (a write through the log) keeps the responder and answers later
/// from any thread.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, _ responder: HTTPResponder)

    /// Whether the body of the request with this head is read as it arrives
    /// (`HTTPResponder.requestBody`) instead of whole before `handle`. Called on the loop
    /// with the head only.
    func streamsBody(_ head: HTTPRequest) -> Bool
}

extension HTTPHandler {
    public func streamsBody(_ head: HTTPRequest) -> Bool { false }
}
