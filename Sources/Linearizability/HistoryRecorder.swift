import Synchronization

/// Collects a concurrent history from many client threads: each client calls `invoke` before
/// sending a request and `complete` (or `completeUnknown`, or `cancel`) after.
///
/// Clocks stay outside: callers pass times from their own monotonic clock (simulator ticks, or
/// `ContinuousClock`/`DispatchTime.uptimeNanoseconds` read on the client). Read the invoke time
/// before sending and the complete time after receiving, so the interval contains the real
/// linearization point. (Porcupine#40: on weakly ordered CPUs, timestamps taken without a
/// synchronizing operation can produce false violations; the lock here orders the records.)
public final class HistoryRecorder<Input: Sendable, Output: Sendable>: Sendable {
    /// Default for `operationsMax`: far above what the checker handles in seconds (a few
    /// thousand per partition), while bounding a runaway test's memory to tens of megabytes.
    public static var operationsMaxDefault: Int { 1 << 20 }

    private enum Outcome {
        case pending
        case completed(output: Output, returnTime: UInt64)
        case unknown
        case cancelled
    }

    private struct Record {
        var clientID: Int
        var input: Input
        var call: UInt64
        var outcome: Outcome
    }

    /// Most operations the recorder holds; `invoke` throws `.full` beyond it.
    public let operationsMax: Int
    private let records: Mutex<[Record]>

    public init(operationsMax: Int = operationsMaxDefault) {
        precondition(operationsMax >= 0, "operationsMax must not be negative")
        self.operationsMax = operationsMax
        records = Mutex([])
    }

    /// Records that `clientID` sent `input` at time `call`.
    public func invoke(
        clientID: Int, input: Input, at call: UInt64
    ) throws(HistoryRecorderError) -> PendingOperation {
        let limit = operationsMax
        let index = records.withLock { records -> Int? in
            guard records.count < limit else { return nil }
            records.append(Record(clientID: clientID, input: input, call: call, outcome: .pending))
            return records.count - 1
        }
        guard let index else { throw .full(operationsMax: limit) }
        return PendingOperation(index: index)
    }

    /// Records that the operation returned `output` at time `returnTime`.
    public func complete(_ operation: PendingOperation, output: Output, at returnTime: UInt64) {
        settle(operation, as: .completed(output: output, returnTime: returnTime))
    }

    /// Records that the client will never know whether the operation took effect (timeout,
    /// broken connection, ambiguous error). Operations still pending when `operations()` is
    /// called are treated the same way.
    public func completeUnknown(_ operation: PendingOperation) {
        settle(operation, as: .unknown)
    }

    /// Records that the operation certainly did not take effect (for example it was rejected
    /// before reaching the server); it is left out of the history.
    public func cancel(_ operation: PendingOperation) {
        settle(operation, as: .cancelled)
    }

    /// Operations recorded so far (in invocation order), for `checkLinearizable`.
    public func operations() -> [Operation<Input, Output>] {
        records.withLock { records in
            records.compactMap { record -> Operation<Input, Output>? in
                switch record.outcome {
                case .cancelled:
                    return nil
                case .pending, .unknown:
                    return Operation(
                        clientID: record.clientID, input: record.input, call: record.call,
                        output: nil, returnTime: nil)
                case .completed(let output, let returnTime):
                    return Operation(
                        clientID: record.clientID, input: record.input, call: record.call,
                        output: output, returnTime: returnTime)
                }
            }
        }
    }

    /// Operations invoked so far, including cancelled ones.
    public var count: Int { records.withLock { $0.count } }

    private func settle(_ operation: PendingOperation, as outcome: Outcome) {
        records.withLock { records in
            precondition(operation.index < records.count, "unknown operation \(operation.index)")
            guard case .pending = records[operation.index].outcome else {
                preconditionFailure("operation \(operation.index) was already completed")
            }
            if case .completed(_, let returnTime) = outcome {
                precondition(
                    returnTime >= records[operation.index].call,
                    "operation \(operation.index) returns before its call")
            }
            records[operation.index].outcome = outcome
        }
    }
}
