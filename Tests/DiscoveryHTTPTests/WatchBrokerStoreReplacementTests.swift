import DiscoveryHTTP
import KVStore
import Synchronization
import Testing

/// A follower that installs its leader's snapshot skips revisions whose events were never
/// published: its watchers must still see each of them once, in order (etcd's watch
/// guarantees), or be told that the history is gone.
@Suite("watchers across a store replaced by a snapshot")
struct WatchBrokerStoreReplacementTests {
    final class RecordingSink: WatchSink, Sendable {
        let events = Mutex<[(key: String, value: String, revision: Int64)]>([])
        let lost = Mutex<[Int64]>([])

        func deliver(watcherID: Int64, events: [Event]) {
            let records = events.map {
                (
                    String(decoding: $0.kv.key, as: UTF8.self),
                    String(decoding: $0.kv.value, as: UTF8.self), $0.kv.modRevision
                )
            }
            self.events.withLock { $0.append(contentsOf: records) }
        }

        func historyLost(watcherID: Int64, compactRevision: Int64) {
            lost.withLock { $0.append(compactRevision) }
        }

        var values: [String] { events.withLock { $0.map { "\($0.key)=\($0.value)" } } }
    }

    static func put(_ key: String, _ value: String) -> KVCommand {
        .put(PutRequest(key: Array(key.utf8), value: Array(value.utf8)))
    }

    static func write(_ keySpace: InMemoryKeySpace, _ key: String, _ value: String) {
        let command = put(key, value)
        keySpace.propose(command, encoded: command.encode()) { _ in }
    }

    static func watch(_ keySpace: InMemoryKeySpace, key: String, sink: RecordingSink) -> Int64? {
        let spec = WatchHub.Watcher(id: 0, range: KeyRange(key: Array(key.utf8)))
        guard
            case .registered(let id, _) = keySpace.watches.register(
                spec, startRevision: 0, sink: sink, keySpace: keySpace)
        else { return nil }
        return id
    }

    @Test("a watcher gets the events a snapshot skipped, once and in order, then live ones (§7)")
    func skippedEventsDelivered() throws {
        let keySpace = InMemoryKeySpace()
        let sink = RecordingSink()
        Self.write(keySpace, "a", "1")
        _ = try #require(Self.watch(keySpace, key: "a", sink: sink))
        Self.write(keySpace, "a", "2")
        // The leader went on without this member: a=3, b, a=4; then its snapshot arrives.
        var leader = keySpace.storeCopy()
        for command in [Self.put("a", "3"), Self.put("b", "x"), Self.put("a", "4")] {
            _ = leader.apply(command)
        }
        keySpace.replaceStore(leader)
        #expect(sink.values == ["a=2", "a=3", "a=4"])
        #expect(keySpace.watches.publishedRevision == leader.revision)
        Self.write(keySpace, "a", "5")
        #expect(sink.values == ["a=2", "a=3", "a=4", "a=5"])
        let revisions = sink.events.withLock { $0.map(\.revision) }
        #expect(revisions == revisions.sorted() && Set(revisions).count == revisions.count)
        #expect(sink.lost.withLock { $0 }.isEmpty)
    }

    @Test("a watcher the new store's compaction passed is told its history is lost, and goes on")
    func compactedHistoryLost() throws {
        let keySpace = InMemoryKeySpace()
        let sink = RecordingSink()
        _ = try #require(Self.watch(keySpace, key: "a", sink: sink))
        Self.write(keySpace, "a", "1")
        var leader = keySpace.storeCopy()
        _ = leader.apply(Self.put("a", "2"))
        _ = leader.apply(Self.put("a", "3"))
        _ = leader.apply(.compact(revision: leader.revision))
        keySpace.replaceStore(leader)
        #expect(sink.lost.withLock { $0 } == [leader.compactRevision])
        #expect(sink.values == ["a=1"])
        Self.write(keySpace, "a", "4")
        #expect(sink.values == ["a=1", "a=4"])
    }
}
