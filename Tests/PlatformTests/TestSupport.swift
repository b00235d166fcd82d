import Platform
import Testing

/// Generous deadline for anything that crosses threads or the loopback: long enough for a
/// loaded 2-core CI machine, short enough that a hang fails the test instead of the job.
let testDeadlineNanoseconds: UInt64 = 10_000_000_000

extension WorkQueue {
    /// The next element, waiting at most the test deadline; nil (and a recorded issue) if
    /// none arrives.
    func awaitNext(sourceLocation: SourceLocation = #_sourceLocation) -> Element? {
        let values = takeAll(max: 1, timeoutNanoseconds: testDeadlineNanoseconds)
        if values.isEmpty {
            Issue.record("no value within the test deadline", sourceLocation: sourceLocation)
        }
        return values.first
    }
}
