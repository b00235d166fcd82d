import Raft

// RaftThroughput: committed entries per second of a 3-node in-memory cluster. Messages are
// delivered at once in-process and storage is MemoryStorage, so this measures the consensus
// core alone (no network, no disk). Run with `swift run -c release RaftThroughput`.

/// Entry payload size of the benchmark, in bytes.
let entryBytes = 256
/// Entries committed between two compactions of each node's MemoryStorage, bounding memory.
let compactEveryEntries: UInt64 = 16_384

struct Cluster {
    var cores: [RaftCore] = []
    var storages: [MemoryStorage] = []
    var queue: [Message] = []
    let ids: [UInt64] = [1, 2, 3]

    init() throws(RaftError) {
        for id in ids {
            let storage = MemoryStorage(confState: ConfState(voters: ids))
            var config = RaftConfig(id: id)
            config.maxInflightMsgs = 4096
            storages.append(storage)
            cores.append(try RaftCore(config: config, storage: storage))
        }
        cores[0].campaign()
        pump()
    }

    /// Handles every Ready and delivers every message until the cluster is idle.
    mutating func pump() {
        var progressed = true
        while progressed {
            progressed = false
            for slot in cores.indices where cores[slot].hasReady {
                progressed = true
                let ready = cores[slot].ready()
                storages[slot].append(ready.entries)
                if let hardState = ready.hardState { storages[slot].setHardState(hardState) }
                queue.append(contentsOf: ready.messages)
                cores[slot].advance()
            }
            if !queue.isEmpty {
                progressed = true
                let batch = queue
                queue.removeAll(keepingCapacity: true)
                for message in batch { cores[Int(message.to - 1)].step(message) }
            }
        }
    }

    mutating func compactIfDue() throws(RaftError) {
        for slot in cores.indices {
            let applied = cores[slot].status.applied
            let first = try storages[slot].firstIndex()
            guard applied >= first + compactEveryEntries else { continue }
            try storages[slot].createSnapshot(
                index: applied, confState: ConfState(voters: ids), data: [])
            try storages[slot].compact(applied)
        }
    }
}

func measure(batchSize: Int, entries total: Int) throws(RaftError) -> Double {
    var cluster = try Cluster()
    precondition(cluster.cores[0].status.role == .leader, "node 1 did not win the election")
    let payload = [UInt8](repeating: 0xAB, count: entryBytes)
    let batch = [[UInt8]](repeating: payload, count: batchSize)
    let startCommit = cluster.cores[0].status.commit
    let clock = ContinuousClock()
    let started = clock.now
    var proposed = 0
    while proposed < total {
        if batchSize == 1 {
            try cluster.cores[0].propose(payload)
        } else {
            try cluster.cores[0].propose(batch: batch)
        }
        proposed += batchSize
        cluster.pump()
        if proposed % 16_384 < batchSize { try cluster.compactIfDue() }
    }
    let elapsed = clock.now - started
    let committed = cluster.cores[0].status.commit - startCommit
    precondition(committed >= UInt64(total), "not everything committed")
    let seconds = Double(elapsed.components.seconds)
        + Double(elapsed.components.attoseconds) / 1e18
    return Double(committed) / seconds
}

do throws(RaftError) {
    for (batchSize, total) in [(1, 200_000), (64, 2_000_000)] {
        let rate = try measure(batchSize: batchSize, entries: total)
        print("batch \(batchSize): \(Int(rate)) committed entries/s "
            + "(\(total) entries of \(entryBytes) bytes, 3 nodes, in-memory)")
    }
} catch {
    print("RaftThroughput failed: \(error)")
}
