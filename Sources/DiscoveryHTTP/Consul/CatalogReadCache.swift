import KVStore
import ServiceCatalog
import Synchronization

/// The catalog as last read, its health view, and the answers built from them, kept while
/// the store's revision stays put. A change wakes every blocking catalog query at once: a
/// thousand watchers of one service would each decode the whole catalog, sort it into a
/// health view and build the same answer (at 10,000 services that took over a minute for
/// one change). With this, the first query after a change does that work and the others
/// copy its answer.
///
/// Correct because a catalog answer depends only on the store's contents, which one
/// revision fixes, and on the request's own inputs, which make up the answer's key.
final class CatalogReadCache: Sendable {
    /// Distinct answers kept per revision (one per route and filter combination asked).
    static let answersMax = 256
    /// Bytes of answers kept per revision: a `/v1/health/state/any` of 10,000 checks is
    /// about 5 MiB.
    static let answerBytesMax = 32 * 1024 * 1024

    private struct Entry {
        var snapshot: CatalogSnapshot
        var health: HealthView
        var answers: [String: [UInt8]] = [:]
        var answerBytes = 0
    }

    private let entry = Mutex<Entry?>(nil)
    /// Whole-catalog reads made so far (a test reads it).
    private let readCount = Atomic<Int>(0)

    init() {}

    var reads: Int { readCount.load(ordering: .relaxed) }

    /// The answer under `key` at the store's current revision, with the catalog's index:
    /// from the cache, or built by `body` (and kept, within the limits).
    func answer(
        _ key: String, _ keySpace: any KeySpace,
        _ body: (CatalogSnapshot, HealthView) -> [UInt8]
    ) -> (body: [UInt8], index: Int64) {
        let revision = (try? keySpace.withStore { (store) throws(KVError) in store.revision })
        let cached = entry.withLock { entry -> Entry? in
            guard let entry, entry.snapshot.storeRevision == revision else { return nil }
            return entry
        }
        if let cached, let answer = cached.answers[key] {
            return (answer, cached.snapshot.index)
        }
        let current = cached ?? read(keySpace)
        let answer = body(current.snapshot, current.health)
        entry.withLock { entry in
            let fits = entry.map {
                $0.snapshot.storeRevision == current.snapshot.storeRevision
                    && $0.answers.count < Self.answersMax
                    && $0.answerBytes + answer.count <= Self.answerBytesMax
            }
            guard fits == true else { return }
            entry?.answers[key] = answer
            entry?.answerBytes += answer.count
        }
        return (answer, current.snapshot.index)
    }

    /// Reads the catalog and keeps it unless a newer read is already kept.
    private func read(_ keySpace: any KeySpace) -> Entry {
        readCount.add(1, ordering: .relaxed)
        let snapshot = CatalogSnapshot.read(keySpace)
        let fresh = Entry(snapshot: snapshot, health: snapshot.health)
        entry.withLock { entry in
            if (entry?.snapshot.storeRevision ?? -1) < snapshot.storeRevision { entry = fresh }
        }
        return fresh
    }

    /// A key made of `parts`, each length-prefixed so no two lists give the same key
    /// (tags and names may hold any character).
    static func key(_ parts: [String]) -> String {
        parts.map { "\($0.utf8.count):\($0)" }.joined()
    }
}
