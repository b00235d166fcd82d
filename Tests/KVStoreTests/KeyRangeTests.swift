import Testing

@testable import KVStore

@Suite("KeyRange: etcd key range rules")
struct KeyRangeTests {
    @Test("an empty range_end names only the key itself (etcd range rules)")
    func singleKey() {
        let range = KeyRange(key: bytes("foo"))
        #expect(range.contains(bytes("foo")))
        #expect(!range.contains(bytes("foo0")))
        #expect(!range.contains(bytes("fo")))
    }

    @Test("range_end \"\\0\" means every key >= key (etcd range rules)")
    func unboundedAbove() {
        let range = KeyRange(key: bytes("b"), rangeEnd: [0])
        #expect(range.contains(bytes("b")))
        #expect(range.contains([0xFF, 0xFF]))
        #expect(!range.contains(bytes("a")))
    }

    @Test("key \"\\0\" with range_end \"\\0\" is the whole key space (etcd range rules)")
    func everything() {
        #expect(KeyRange.all.contains([0]))
        #expect(KeyRange.all.contains([1]))
        #expect(KeyRange.all.contains([0xFF, 0xFF, 0xFF]))
    }

    @Test("a non-empty range_end is a half-open interval [key, range_end)")
    func halfOpen() {
        let range = KeyRange(key: bytes("a"), rangeEnd: bytes("c"))
        #expect(range.contains(bytes("a")))
        #expect(range.contains(bytes("bzzz")))
        #expect(!range.contains(bytes("c")))
        #expect(!KeyRange(key: bytes("c"), rangeEnd: bytes("a")).contains(bytes("b")))
    }

    @Test("prefix increments the last byte below 0xff (clientv3 GetPrefixRangeEnd)")
    func prefixEnd() {
        #expect(KeyRange.prefix(bytes("aa")).rangeEnd == bytes("ab"))
        #expect(KeyRange.prefix([0x61, 0xFF]).rangeEnd == bytes("b"))
        #expect(KeyRange.prefix([0xFF, 0xFF]).rangeEnd == [0])
        #expect(KeyRange.prefix([]) == KeyRange.all)
        let range = KeyRange.prefix(bytes("/svc/"))
        #expect(range.contains(bytes("/svc/a")))
        #expect(range.contains(bytes("/svc/")))
        #expect(!range.contains(bytes("/svc0")))
    }
}
