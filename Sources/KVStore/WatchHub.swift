/// The registry of watchers and the matcher that decides which events each one gets. Pure:
/// the server owns the streams, queues and threads; it calls `match` with the events of each
/// applied command (in order) and delivers the results.
///
/// Cost of `match`: single-key watchers are found through a dictionary, O(1) per event;
/// range watchers are grouped by identical range and every distinct range is tested per
/// event, O(E × R) for E events and R distinct ranges, plus O(output) to copy the matches.
/// Prefix watches typically share a handful of ranges, so R stays small.
public struct WatchHub: Sendable {
    public struct Watcher: Sendable, Equatable {
        public var id: Int64
        public var range: KeyRange
        /// etcd filters `NOPUT` / `NODELETE`: drop those events for this watcher.
        public var noPut: Bool
        public var noDelete: Bool
        /// Deliver `prevKV`; otherwise it is stripped.
        public var prevKV: Bool

        public init(
            id: Int64, range: KeyRange, noPut: Bool = false, noDelete: Bool = false,
            prevKV: Bool = false
        ) {
            self.id = id
            self.range = range
            self.noPut = noPut
            self.noDelete = noDelete
            self.prevKV = prevKV
        }
    }

    var watchers: [Int64: Watcher] = [:]
    var singleKey: [[UInt8]: [Int64]] = [:]
    var ranged: [KeyRange: [Int64]] = [:]

    public init() {}

    public var count: Int { watchers.count }

    /// Registers `watcher`, replacing one with the same id.
    public mutating func add(_ watcher: Watcher) {
        remove(id: watcher.id)
        watchers[watcher.id] = watcher
        if watcher.range.isSingleKey {
            singleKey[watcher.range.key, default: []].append(watcher.id)
        } else {
            ranged[watcher.range, default: []].append(watcher.id)
        }
    }

    public mutating func remove(id: Int64) {
        guard let watcher = watchers.removeValue(forKey: id) else { return }
        if watcher.range.isSingleKey {
            singleKey[watcher.range.key]?.removeAll { $0 == id }
            if singleKey[watcher.range.key]?.isEmpty == true { singleKey[watcher.range.key] = nil }
        } else {
            ranged[watcher.range]?.removeAll { $0 == id }
            if ranged[watcher.range]?.isEmpty == true { ranged[watcher.range] = nil }
        }
    }

    /// For every watcher with at least one matching event: its events in the given order,
    /// filters applied and `prevKV` stripped unless asked for. Sorted by watcher id.
    public func match(_ events: [Event]) -> [(watcherID: Int64, events: [Event])] {
        var matched: [Int64: [Event]] = [:]
        for event in events {
            if let ids = singleKey[event.kv.key] {
                for id in ids { deliver(event, to: id, into: &matched) }
            }
            for (range, ids) in ranged where range.contains(event.kv.key) {
                for id in ids { deliver(event, to: id, into: &matched) }
            }
        }
        return matched.keys.sorted().map { id in (id, matched[id] ?? []) }
    }

    private func deliver(_ event: Event, to id: Int64, into matched: inout [Int64: [Event]]) {
        guard let watcher = watchers[id] else { return }
        switch event.kind {
        case .put where watcher.noPut: return
        case .delete where watcher.noDelete: return
        default: break
        }
        var delivered = event
        if !watcher.prevKV { delivered.prevKV = nil }
        matched[id, default: []].append(delivered)
    }
}
