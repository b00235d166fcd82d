import DiscoveryHTTP
import KVStore
import ServiceCatalog

/// A check's new status and output on its way to the catalog.
///
/// The write is fenced on the mod revision the runner last saw for the check's key: a
/// re-registration (or any other write) that lands in between makes the compare fail, so
/// the runner never overwrites a newer record with a result computed for an older one.
struct CheckWrite: Sendable, Equatable {
    var checkID: String
    /// The registration the result belongs to (`CheckTracker.Entry.generation`).
    var generation: UInt64
    /// The whole record to store: the one last seen with the new status and output.
    var record: CatalogCheck
    var expectedModRevision: Int64

    /// What the write did, as the runner needs to know it.
    enum Outcome: Sendable, Equatable {
        /// Stored at `revision`.
        case applied(revision: Int64)
        /// Someone else changed the record first; nothing was written.
        case compareFailed
        /// Not replicated (no leader, overload, stopping): try again later.
        case failed
    }

    var txn: TxnRequest {
        let key = CatalogKeys.check(node: record.node, checkID: checkID)
        return TxnRequest(
            compare: [
                Compare(
                    result: .equal, target: .mod, key: key,
                    operand: .modRevision(expectedModRevision))
            ],
            success: [.put(PutRequest(key: key, value: record.storedValue()))])
    }
}

extension CheckWrite.Outcome {
    /// The outcome of proposing `CheckWrite.txn`.
    init(_ result: Result<ApplyOutcome, ServiceError>) {
        guard case .success(let outcome) = result, case .txn(let response) = outcome.result
        else {
            self = .failed
            return
        }
        self = response.succeeded ? .applied(revision: outcome.revision) : .compareFailed
    }
}
