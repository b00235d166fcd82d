import KVStore
import Raft

/// Rebuilds the store from the newest snapshot plus the WAL entries after it.
struct Recovery {
    var store: MVCCStore
    var lastIndex: UInt64
    var snapshotIndex: UInt64

    static func run(
        snapshot: Snapshot?, wal: WriteAheadLog.Recovered
    ) throws(ServerError) -> Recovery {
        var store = MVCCStore()
        var snapshotIndex: UInt64 = 0
        if let snapshot {
            do {
                store = try MVCCStore.decodeSnapshot(snapshot.data)
            } catch {
                throw .recovery(
                    "snapshot at index \(snapshot.metadata.index) does not decode: \(error)")
            }
            snapshotIndex = snapshot.metadata.index
        }
        var lastIndex = snapshotIndex
        for entry in wal.entries where entry.index > snapshotIndex {
            guard entry.index == lastIndex + 1 else {
                throw .recovery(
                    "the log jumps from index \(lastIndex) to \(entry.index): "
                        + "entries after the snapshot are missing")
            }
            lastIndex = entry.index
            guard entry.kind == .normal, !entry.data.isEmpty else { continue }
            let command: KVCommand
            do {
                command = try KVCommand.decode(entry.data)
            } catch {
                throw .recovery("log entry \(entry.index) does not decode: \(error)")
            }
            _ = store.apply(command)
        }
        return Recovery(store: store, lastIndex: lastIndex, snapshotIndex: snapshotIndex)
    }
}
