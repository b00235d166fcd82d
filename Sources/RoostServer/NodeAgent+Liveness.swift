import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog

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
        proposer.write(command)
    }

    func query(_ query: LeaseQuery) -> Result<LeaseStatus?, ServiceError> {
        proposer.query(query)
    }
}
