import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog
import Synchronization

extension NodeAgent {
    /// Renews the node lease, or grants a new one and re-registers the node when it was
    /// lost (first start, or the server was cut off longer than the TTL).
    func keepNodeAlive(now: UInt64) {
        let renewEvery =
            UInt64(NodeAgent.nodeLeaseTTLSeconds) * 1_000_000_000 / NodeAgent.renewalsPerTTL
        if leaseID != 0, case .success(let status?) = query(.renew(leaseID)),
            status.remainingSeconds > 0
        {
            nextRenewal = now + renewEvery
            return
        }
        let id = keySpace.newLeaseID()
        guard case .success = write(.leaseGrant(id: id, ttlSeconds: NodeAgent.nodeLeaseTTLSeconds))
        else { return }
        let node = keySpace.agentNode()
        let txn = TxnRequest(success: [
            .put(PutRequest(key: CatalogKeys.node(node.node), value: node.storedValue())),
            .put(PutRequest(key: CatalogKeys.alive(node.node), lease: id)),
        ])
        guard case .success = write(.txn(txn)) else { return }
        leaseID = id
        nextRenewal = now + renewEvery
    }

    /// Proposes `command` and waits for it (agent thread only).
    func write(_ command: KVCommand) -> Result<ApplyOutcome, ServiceError> {
        guard let encoded = try? command.validatedEncoding() else { return .failure(.busy) }
        let box = ResultBox<ApplyOutcome>()
        keySpace.propose(command, encoded: encoded) { box.set($0) }
        return box.wait(timeoutNanoseconds: NodeAgent.writeTimeoutNanoseconds)
    }

    func query(_ query: LeaseQuery) -> Result<LeaseStatus?, ServiceError> {
        let box = ResultBox<LeaseStatus?>()
        keySpace.queryLease(query) { box.set($0) }
        return box.wait(timeoutNanoseconds: NodeAgent.writeTimeoutNanoseconds)
    }
}

/// One answer handed from a completion to the agent thread waiting for it.
final class ResultBox<Value: Sendable>: Sendable {
    private let queue = WorkQueue<Result<Value, ServiceError>>(capacity: 1)

    func set(_ result: Result<Value, ServiceError>) {
        _ = queue.offer(result)
    }

    func wait(timeoutNanoseconds: UInt64) -> Result<Value, ServiceError> {
        queue.takeAll(max: 1, timeoutNanoseconds: timeoutNanoseconds).first ?? .failure(.timedOut)
    }
}
