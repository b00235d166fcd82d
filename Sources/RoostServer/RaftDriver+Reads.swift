import DiscoveryHTTP
import Raft

/// Linearizable reads through ReadIndex (thesis §6.4): the leader confirms it still
/// leads with a heartbeat round and names its commit index; the read is served once
/// this member has applied that index. Reads arriving together share one round.
extension RaftDriver {
    func requestRead(_ waiters: [@Sendable (Result<Void, ServiceError>) -> Void]) {
        guard !failed else {
            for waiter in waiters { waiter(.failure(.stopped)) }
            return
        }
        let context = nextReadContext
        nextReadContext += 1
        var bytes: [UInt8] = []
        BigEndian.append(context, to: &bytes)
        do {
            try core.readIndex(context: bytes)
        } catch {
            for waiter in waiters { waiter(.failure(RaftDriver.serviceError(error, else: .busy))) }
            return
        }
        readsWaitingForIndex[context] = waiters
        // Reads time out with the request timeout, like proposals: a member cut off
        // from its leader never gets an answer to its read round.
        readDeadlines.append(
            (context, clock.nowNanoseconds() + RaftDriver.requestTimeoutNanoseconds))
    }

    func readIndexArrived(_ state: ReadState) {
        guard state.context.count == 8 else { return }
        let context = BigEndian.read(state.context, at: 0)
        guard let waiters = readsWaitingForIndex.removeValue(forKey: context) else { return }
        readsWaitingForApply.append((state.index, waiters))
    }

    /// Answers the reads whose index is now applied.
    func serveReads() {
        guard !readsWaitingForApply.isEmpty else { return }
        var waiting: [(index: UInt64, waiters: [@Sendable (Result<Void, ServiceError>) -> Void])] =
            []
        for entry in readsWaitingForApply {
            if entry.index <= applied {
                for waiter in entry.waiters { waiter(.success(())) }
            } else {
                waiting.append(entry)
            }
        }
        readsWaitingForApply = waiting
    }

    /// Read rounds still waiting for their index when leadership changes: the old leader
    /// will not answer them (etcd answers these reads `ErrLeaderChanged` too). Reads that
    /// already have their index are still served.
    func failReadRounds(_ error: ServiceError) {
        guard !readsWaitingForIndex.isEmpty else { return }
        for (_, waiters) in readsWaitingForIndex {
            for waiter in waiters { waiter(.failure(error)) }
        }
        readsWaitingForIndex.removeAll()
    }

    func expireReads(now: UInt64) {
        while let first = readDeadlines.first, first.deadline <= now {
            readDeadlines.removeFirst()
            guard let waiters = readsWaitingForIndex.removeValue(forKey: first.context) else {
                continue
            }
            for waiter in waiters { waiter(.failure(.timedOut)) }
        }
    }
}
