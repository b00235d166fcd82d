import DiscoveryHTTP
import KVStore
import Platform

/// Writes through `KeySpace.propose`, like any client, and waits for the answer: for the
/// agent's and the leader housekeeping's own threads, never an event loop (a proposal waits
/// for replication). Waits give up when `stopping` is set, so neither holds up a stop.
struct BlockingProposer: Sendable {
    /// How long one replicated write may take before the caller retries on its next pass.
    static let writeTimeoutNanoseconds: UInt64 = 10_000_000_000

    let keySpace: ServerKeySpace
    let stopping: CancellationFlag

    /// Proposes `command` and waits for it.
    func write(_ command: KVCommand) -> Result<ApplyOutcome, ServiceError> {
        guard let encoded = try? command.validatedEncoding() else { return .failure(.busy) }
        let box = ResultBox<ApplyOutcome>()
        keySpace.propose(command, encoded: encoded) { box.set($0) }
        return box.wait(
            timeoutNanoseconds: BlockingProposer.writeTimeoutNanoseconds, cancellation: stopping)
    }

    func query(_ query: LeaseQuery) -> Result<LeaseStatus?, ServiceError> {
        let box = ResultBox<LeaseStatus?>()
        keySpace.queryLease(query) { box.set($0) }
        return box.wait(
            timeoutNanoseconds: BlockingProposer.writeTimeoutNanoseconds, cancellation: stopping)
    }

    /// Proposes the transactions one after another; false at the first that is not applied
    /// or whose compares failed (the rest were planned on its success).
    func applyInOrder(_ transactions: [TxnRequest]) -> Bool {
        for txn in transactions {
            guard case .success(let outcome) = write(.txn(txn)),
                case .txn(let response) = outcome.result, response.succeeded
            else { return false }
        }
        return true
    }
}
