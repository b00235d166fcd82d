import DiscoveryHTTP
import Platform

/// One answer handed from a completion to the thread waiting for it.
final class ResultBox<Value: Sendable>: Sendable {
    private let queue = WorkQueue<Result<Value, ServiceError>>(capacity: 1)

    func set(_ result: Result<Value, ServiceError>) {
        _ = queue.offer(result)
    }

    /// The answer, `.timedOut` after `timeoutNanoseconds`, or `.stopped` soon after
    /// `cancellation` is set: a stopping member does not wait out a write its cluster can no
    /// longer commit (quorum lost while the members stop one by one).
    func wait(
        timeoutNanoseconds: UInt64, cancellation: CancellationFlag? = nil
    ) -> Result<Value, ServiceError> {
        let clock = MonotonicClock()
        let deadline = clock.nowNanoseconds() &+ timeoutNanoseconds
        while true {
            if cancellation?.isCancelled == true { return .failure(.stopped) }
            let now = clock.nowNanoseconds()
            guard now < deadline else { return .failure(.timedOut) }
            var slice = deadline - now
            if cancellation != nil { slice = min(slice, CancellationFlag.pollNanoseconds) }
            if let answer = queue.takeAll(max: 1, timeoutNanoseconds: slice).first {
                return answer
            }
        }
    }
}
