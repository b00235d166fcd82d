import Foundation
import Testing

@testable import KVStore

@Suite("KeyIndex: copy-on-write B+tree")
struct KeyIndexTests {
    static func history(_ value: Int) -> KeyHistory {
        KeyHistory(records: [
            KeyRecord(modRevision: Int64(value) + 1, subRevision: 0, createRevision: 1,
                version: 1, lease: 0, value: [UInt8(truncatingIfNeeded: value)]),
        ])
    }

    static func key(_ number: Int) -> [UInt8] {
        bytes(String(number, radix: 36))
    }

    @Test("random inserts and removals match a sorted model and keep the B-tree invariants")
    func randomAgainstModel() {
        let seed: UInt64 = 20_240_601
        var generator = SeededGenerator(seed: seed)
        var index = KeyIndex()
        var model: [[UInt8]: Int] = [:]
        for step in 0..<20_000 {
            let number = Int.random(in: 0..<3_000, using: &generator)
            let key = Self.key(number)
            if Int.random(in: 0..<3, using: &generator) == 0 {
                index.update(key) { $0 = nil }
                model[key] = nil
            } else {
                index.update(key) { $0 = Self.history(step) }
                model[key] = step
            }
            if step % 2_000 == 0 {
                #expect(index.invariantViolation() == nil, "seed \(seed) step \(step)")
            }
        }
        #expect(index.invariantViolation() == nil, "seed \(seed)")
        #expect(index.count == model.count, "seed \(seed)")
        var visited: [[UInt8]] = []
        index.forEach(from: []) { key, history in
            visited.append(key)
            #expect(history.records[0].value == [UInt8(truncatingIfNeeded: model[key] ?? -1)])
            return true
        }
        #expect(visited == model.keys.sorted(by: ByteOrder.less), "seed \(seed)")
    }

    @Test("removing every key shrinks the tree back to an empty root leaf")
    func drainToEmpty() {
        var index = KeyIndex()
        for number in 0..<5_000 { index.update(Self.key(number)) { $0 = Self.history(number) } }
        for number in (0..<5_000).reversed() { index.update(Self.key(number)) { $0 = nil } }
        #expect(index.count == 0)
        #expect(index.root.isLeaf)
        #expect(index.invariantViolation() == nil)
    }

    @Test("bulk building from sorted entries gives a valid tree of any size")
    func bulkBuild() {
        for size in [0, 1, 63, 64, 65, 4_096, 4_097, 10_000] {
            let keys = (0..<size).map { bytes(String(format: "%08d", $0)) }
            let index = KeyIndex(sortedKeys: keys, histories: keys.indices.map(Self.history))
            #expect(index.invariantViolation() == nil, "size \(size)")
            #expect(index.count == size)
            if size > 0 { #expect(index.find(keys[size / 2]) != nil) }
        }
    }

    @Test("a copy is unaffected by later writes to the original")
    func copyOnWrite() {
        var index = KeyIndex()
        for number in 0..<2_000 { index.update(Self.key(number)) { $0 = Self.history(number) } }
        let copy = index
        for number in 0..<2_000 where number % 3 == 0 {
            index.update(Self.key(number)) { $0 = nil }
        }
        index.update(Self.key(5)) { $0?.records.append(Self.history(99).records[0]) }
        #expect(copy.count == 2_000)
        #expect(copy.find(Self.key(0)) != nil)
        #expect(copy.find(Self.key(5))?.records.count == 1)
        #expect(index.find(Self.key(5))?.records.count == 2)
        #expect(copy.invariantViolation() == nil)
        #expect(index.invariantViolation() == nil)
    }

    @Test("scans start at the first key >= start and stop at the range end")
    func scanBounds() {
        var index = KeyIndex()
        for number in 0..<1_000 {
            index.update(bytes(String(format: "k%04d", number))) { $0 = Self.history(number) }
        }
        var seen: [[UInt8]] = []
        index.forEach(in: KeyRange(key: bytes("k0100x"), rangeEnd: bytes("k0105"))) { key, _ in
            seen.append(key)
            return true
        }
        #expect(seen == (101..<105).map { bytes(String(format: "k%04d", $0)) })
    }
}
