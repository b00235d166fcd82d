/// A ticket for an invoked operation, returned by `HistoryRecorder.invoke` and passed back to
/// complete it.
public struct PendingOperation: Hashable, Sendable {
    /// Position of the operation in its recorder, in invocation order.
    public let index: Int
}
