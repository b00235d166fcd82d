/// Operating errors of `HistoryRecorder`.
public enum HistoryRecorderError: Error, Equatable, Sendable {
    /// The recorder already holds `operationsMax` operations.
    case full(operationsMax: Int)
}
