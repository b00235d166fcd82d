import Platform

/// Answers requests. Called on the connection's event loop; must not block. A handler
/// that needs to wait (a write through the log) keeps the responder and answers later
/// from any thread.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, _ responder: HTTPResponder)
}
