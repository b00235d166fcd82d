import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog

extension NodeAgent {
    /// Runs this node's HTTP, TCP and script checks and reaps services critical for longer
    /// than their `DeregisterCriticalServiceAfter`. Called once per poll with the catalog
    /// read for that poll. Writes are proposed without waiting: their answers reach the
    /// runner on the driver's thread, so a slow or leaderless log never holds up this
    /// thread's node lease renewals and TTL timers.
    func runChecks(now: UInt64, _ snapshot: CatalogSnapshot) {
        let pass = checkRunner.poll(snapshot.checks, nowNanoseconds: now)
        let runner = checkRunner
        for write in pass.writes {
            proposeWithoutWaiting(.txn(write.txn)) { result in
                runner.written(write, CheckWrite.Outcome(result))
            }
        }
        // A deregistration that fails is proposed again by the reaper after its retry
        // delay, if the service is still there and still critical.
        for reap in pass.reaps {
            proposeWithoutWaiting(.txn(reap.txn)) { _ in }
        }
    }

    private func proposeWithoutWaiting(
        _ command: KVCommand,
        _ completion: @escaping @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    ) {
        guard let encoded = try? command.validatedEncoding() else {
            return completion(.failure(.busy))
        }
        keySpace.propose(command, encoded: encoded, completion)
    }
}
