import Testing

@testable import KVStore

@Suite("WatchHub matching (etcd watch filters and prev_kv)")
struct WatchHubTests {
    static func putEvent(_ key: String, revision: Int64) -> Event {
        Event(
            kind: .put,
            kv: KeyValue(key: bytes(key), createRevision: revision, modRevision: revision,
                version: 1, value: bytes("v")),
            prevKV: KeyValue(key: bytes(key), value: bytes("old")))
    }

    static func deleteEvent(_ key: String, revision: Int64) -> Event {
        Event(kind: .delete, kv: KeyValue(key: bytes(key), modRevision: revision))
    }

    @Test("a single-key watcher gets only that key's events, in order")
    func singleKey() {
        var hub = WatchHub()
        hub.add(.init(id: 1, range: KeyRange(key: bytes("a"))))
        let events = [
            Self.putEvent("a", revision: 2), Self.putEvent("b", revision: 2),
            Self.deleteEvent("a", revision: 3),
        ]
        let matched = hub.match(events)
        #expect(matched.count == 1)
        #expect(matched.first?.watcherID == 1)
        #expect(matched.first?.events.map(\.kind) == [.put, .delete])
    }

    @Test("a prefix watcher gets every event under its prefix")
    func prefix() {
        var hub = WatchHub()
        hub.add(.init(id: 4, range: .prefix(bytes("/svc/"))))
        let matched = hub.match([
            Self.putEvent("/svc/a", revision: 2), Self.putEvent("/other", revision: 2),
            Self.putEvent("/svc/b", revision: 3),
        ])
        #expect(matched.first?.events.map(\.kv.key) == [bytes("/svc/a"), bytes("/svc/b")])
    }

    @Test("NOPUT and NODELETE filters drop those event types (WatchCreateRequest.filters)")
    func filters() {
        var hub = WatchHub()
        hub.add(.init(id: 1, range: .all, noPut: true))
        hub.add(.init(id: 2, range: .all, noDelete: true))
        let matched = hub.match([
            Self.putEvent("a", revision: 2), Self.deleteEvent("a", revision: 3),
        ])
        #expect(matched.map(\.watcherID) == [1, 2])
        #expect(matched[0].events.map(\.kind) == [.delete])
        #expect(matched[1].events.map(\.kind) == [.put])
    }

    @Test("prevKV is delivered only to watchers that asked for it (prev_kv)")
    func prevKVStripping() {
        var hub = WatchHub()
        hub.add(.init(id: 1, range: KeyRange(key: bytes("a")), prevKV: true))
        hub.add(.init(id: 2, range: KeyRange(key: bytes("a"))))
        let matched = hub.match([Self.putEvent("a", revision: 2)])
        #expect(matched[0].events[0].prevKV?.value == bytes("old"))
        #expect(matched[1].events[0].prevKV == nil)
    }

    @Test("removing a watcher stops its matches; watchers sharing a range stay independent")
    func removal() {
        var hub = WatchHub()
        hub.add(.init(id: 1, range: .prefix(bytes("k"))))
        hub.add(.init(id: 2, range: .prefix(bytes("k"))))
        hub.add(.init(id: 3, range: KeyRange(key: bytes("k1"))))
        #expect(hub.count == 3)
        hub.remove(id: 1)
        hub.remove(id: 3)
        hub.remove(id: 99)
        #expect(hub.count == 1)
        #expect(hub.match([Self.putEvent("k1", revision: 2)]).map(\.watcherID) == [2])
    }

    @Test("adding a watcher with an existing id replaces it")
    func replace() {
        var hub = WatchHub()
        hub.add(.init(id: 1, range: KeyRange(key: bytes("a"))))
        hub.add(.init(id: 1, range: KeyRange(key: bytes("b"))))
        #expect(hub.count == 1)
        #expect(hub.match([Self.putEvent("a", revision: 2)]).isEmpty)
        #expect(hub.match([Self.putEvent("b", revision: 2)]).map(\.watcherID) == [1])
    }

    @Test("results are sorted by watcher id and omit watchers with no events")
    func sortedResults() {
        var hub = WatchHub()
        for id in [9, 3, 5] as [Int64] { hub.add(.init(id: id, range: .all)) }
        hub.add(.init(id: 1, range: KeyRange(key: bytes("zzz"))))
        #expect(hub.match([Self.putEvent("a", revision: 2)]).map(\.watcherID) == [3, 5, 9])
    }
}
