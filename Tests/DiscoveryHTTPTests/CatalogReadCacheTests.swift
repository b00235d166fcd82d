import KVStore
import Platform
import ServiceCatalog
import Synchronization
import Testing

@testable import DiscoveryHTTP

/// The catalog read cache: one catalog read and one answer per key per store revision.
@Suite("Catalog read cache")
struct CatalogReadCacheTests {
    /// Registers service `id` on node `test` straight into the store.
    func register(_ keySpace: InMemoryKeySpace, _ id: String) {
        let service = CatalogService(node: "test", id: id, service: "web")
        keySpace.propose(
            .put(
                PutRequest(
                    key: CatalogKeys.service(node: "test", serviceID: id),
                    value: service.storedValue())),
            encoded: []
        ) { _ in }
    }

    /// An answer body that counts how often it was built and names the services it saw.
    final class Builder: Sendable {
        let builds = Atomic<Int>(0)

        func body(_ snapshot: CatalogSnapshot, _ health: HealthView) -> [UInt8] {
            builds.add(1, ordering: .relaxed)
            return Array(snapshot.services.map(\.record.id).joined(separator: ",").utf8)
        }
    }

    @Test("at one revision the catalog is read once and each key's answer built once")
    func sharedAtOneRevision() {
        let keySpace = InMemoryKeySpace()
        register(keySpace, "web1")
        let cache = CatalogReadCache()
        let builder = Builder()
        for _ in 0..<5 {
            #expect(cache.answer("a", keySpace, builder.body).body == Array("web1".utf8))
        }
        _ = cache.answer("b", keySpace, builder.body)
        #expect(cache.reads == 1)
        #expect(builder.builds.load(ordering: .relaxed) == 2)
    }

    @Test("a write moves the revision: the next answer is read and built again, with it")
    func rebuiltAfterAWrite() {
        let keySpace = InMemoryKeySpace()
        register(keySpace, "web1")
        let cache = CatalogReadCache()
        let builder = Builder()
        let before = cache.answer("a", keySpace, builder.body)
        register(keySpace, "web2")
        let after = cache.answer("a", keySpace, builder.body)
        #expect(after.body == Array("web1,web2".utf8))
        #expect(after.index > before.index)
        #expect(cache.reads == 2)
        #expect(builder.builds.load(ordering: .relaxed) == 2)
    }

    @Test("answersMax answers are kept per revision; one more is built every time")
    func answerCountLimit() {
        let keySpace = InMemoryKeySpace()
        register(keySpace, "web1")
        let cache = CatalogReadCache()
        let builder = Builder()
        for key in 0..<CatalogReadCache.answersMax {
            _ = cache.answer("\(key)", keySpace, builder.body)
        }
        let kept = builder.builds.load(ordering: .relaxed)
        _ = cache.answer("0", keySpace, builder.body)
        _ = cache.answer("\(CatalogReadCache.answersMax - 1)", keySpace, builder.body)
        #expect(builder.builds.load(ordering: .relaxed) == kept)
        _ = cache.answer("over", keySpace, builder.body)
        _ = cache.answer("over", keySpace, builder.body)
        #expect(builder.builds.load(ordering: .relaxed) == kept + 2)
    }

    @Test("answerBytesMax bytes of answers are kept per revision; a byte more is not kept")
    func answerBytesLimit() {
        let keySpace = InMemoryKeySpace()
        register(keySpace, "web1")
        let cache = CatalogReadCache()
        let builds = Atomic<Int>(0)
        let big: (CatalogSnapshot, HealthView) -> [UInt8] = { _, _ in
            builds.add(1, ordering: .relaxed)
            return [UInt8](repeating: 0x20, count: CatalogReadCache.answerBytesMax - 1)
        }
        let small: (CatalogSnapshot, HealthView) -> [UInt8] = { _, _ in
            builds.add(1, ordering: .relaxed)
            return [0x31]
        }
        _ = cache.answer("big", keySpace, big)
        _ = cache.answer("one", keySpace, small)  // exactly at the limit: kept
        _ = cache.answer("two", keySpace, small)  // one byte over: built, not kept
        #expect(builds.load(ordering: .relaxed) == 3)
        _ = cache.answer("big", keySpace, big)
        _ = cache.answer("one", keySpace, small)
        #expect(builds.load(ordering: .relaxed) == 3)
        _ = cache.answer("two", keySpace, small)
        #expect(builds.load(ordering: .relaxed) == 4)
    }

    @Test("keys are length-prefixed parts: lists that join alike still differ")
    func keysDoNotCollide() {
        #expect(CatalogReadCache.key(["a,b"]) != CatalogReadCache.key(["a", "b"]))
        #expect(CatalogReadCache.key(["ab", ""]) != CatalogReadCache.key(["a", "b"]))
        #expect(CatalogReadCache.key(["1:a"]) != CatalogReadCache.key(["1", "a"]))
        #expect(CatalogReadCache.key(["web", "x"]) == CatalogReadCache.key(["web", "x"]))
    }
}
