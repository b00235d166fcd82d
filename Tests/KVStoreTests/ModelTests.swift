import Testing

@testable import KVStore

/// A deliberately naive MVCC model: a dictionary per revision and a flat event list.
struct ReferenceModel {
    var revision: Int64 = 1
    var compactRevision: Int64 = 0
    var current: [[UInt8]: KeyValue] = [:]
    var states: [Int64: [[UInt8]: KeyValue]] = [1: [:]]
    var events: [Event] = []
    var leases: [Int64: Set<[UInt8]>] = [:]
    /// Writes of the request in progress.
    var pending: [Event] = []

    func read(_ range: KeyRange, at revision: Int64) -> [KeyValue] {
        let state = states[revision] ?? [:]
        return state.values.filter { range.contains($0.key) }
            .sorted { ByteOrder.less($0.key, $1.key) }
    }

    mutating func put(_ key: [UInt8], _ value: [UInt8], lease: Int64) {
        let previous = current[key]
        let modRevision = revision + 1
        let kv = KeyValue(
            key: key, createRevision: previous?.createRevision ?? modRevision,
            modRevision: modRevision, version: (previous?.version ?? 0) + 1, value: value,
            lease: lease)
        if let old = previous?.lease, old != 0 { leases[old]?.remove(key) }
        if lease != 0 { leases[lease]?.insert(key) }
        current[key] = kv
        pending.append(Event(kind: .put, kv: kv, prevKV: previous))
    }

    mutating func delete(_ range: KeyRange) -> [KeyValue] {
        let doomed = current.values.filter { range.contains($0.key) }
            .sorted { ByteOrder.less($0.key, $1.key) }
        for kv in doomed {
            current[kv.key] = nil
            if kv.lease != 0 { leases[kv.lease]?.remove(kv.key) }
            pending.append(
                Event(kind: .delete, kv: KeyValue(key: kv.key, modRevision: revision + 1),
                    prevKV: kv))
        }
        return doomed
    }

    mutating func commit() {
        guard !pending.isEmpty else { return }
        revision += 1
        states[revision] = current
        events += pending
        pending = []
    }

    func holds(_ compare: Compare) -> Bool {
        let kvs = current.values.filter { compare.keyRange.contains($0.key) }
        if kvs.isEmpty && compare.target == .value { return false }
        let subjects = kvs.isEmpty ? [KeyValue(key: compare.key)] : kvs
        return subjects.allSatisfy { kv in
            let order: Int
            switch (compare.target, compare.operand) {
            case (.version, .version(let v)?): order = MVCCStore.threeWay(kv.version, v)
            case (.create, .createRevision(let v)?):
                order = MVCCStore.threeWay(kv.createRevision, v)
            case (.mod, .modRevision(let v)?): order = MVCCStore.threeWay(kv.modRevision, v)
            case (.value, .value(let v)?): order = ByteOrder.compare(kv.value, v)
            default: order = 0
            }
            switch compare.result {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .greater: return order > 0
            case .less: return order < 0
            }
        }
    }
}

@Suite("Randomized model check against a naive reference")
struct ModelTests {
    static let keys = (0..<12).map { bytes("k\($0 < 10 ? "0" : "")\($0)") }

    struct Runner {
        var generator: SeededGenerator
        var store = MVCCStore()
        var model = ReferenceModel()
        let seed: UInt64
        var acceptedTxns = 0
        var rejectedTxns = 0

        init(seed: UInt64) {
            self.seed = seed
            generator = SeededGenerator(seed: seed)
        }

        mutating func randomKey() -> [UInt8] {
            ModelTests.keys[Int.random(in: 0..<ModelTests.keys.count, using: &generator)]
        }

        mutating func randomRange() -> KeyRange {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: return KeyRange(key: randomKey())
            case 1: return .all
            case 2: return KeyRange(key: randomKey(), rangeEnd: [0])
            default: return KeyRange(key: randomKey(), rangeEnd: randomKey())
            }
        }

        mutating func randomValue() -> [UInt8] {
            bytes("v\(Int.random(in: 0..<5, using: &generator))")
        }

        mutating func randomLease() -> Int64 {
            guard Int.random(in: 0..<4, using: &generator) == 0 else { return 0 }
            return Int64.random(in: 1...3, using: &generator)
        }

        mutating func step() {
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<45: putStep()
            case 45..<60: deleteStep()
            case 60..<85: txnStep()
            case 85..<91: compactStep()
            case 91..<96: leaseGrantStep()
            default: leaseRevokeStep()
            }
        }

        mutating func putStep() {
            let key = randomKey()
            let value = randomValue()
            let lease = randomLease()
            let outcome = store.exec(.put(PutRequest(key: key, value: value, lease: lease)))
            if lease != 0 && model.leases[lease] == nil {
                #expect(outcome.error == .leaseNotFound, "seed \(seed)")
                return
            }
            model.put(key, value, lease: lease)
            let events = model.pending
            model.commit()
            #expect(outcome.events == events, "seed \(seed)")
        }

        mutating func deleteStep() {
            let range = randomRange()
            let outcome = store.exec(
                .deleteRange(DeleteRangeRequest(key: range.key, rangeEnd: range.rangeEnd,
                    prevKV: true)))
            let deleted = model.delete(range)
            let events = model.pending
            model.commit()
            #expect(outcome.events == events, "seed \(seed)")
            #expect(outcome.deleteResponse?.prevKVs == deleted, "seed \(seed)")
        }

        mutating func randomCompare() -> Compare {
            let target = [Compare.Target.version, .create, .mod, .value][
                Int.random(in: 0..<4, using: &generator)]
            let result = Compare.Result(rawValue: Int.random(in: 0..<4, using: &generator))
                ?? .equal
            let number = Int64.random(in: 0...(model.revision + 1), using: &generator)
            let operand: Compare.Operand
            switch target {
            case .version: operand = .version(Int64.random(in: 0...3, using: &generator))
            case .create: operand = .createRevision(number)
            case .mod: operand = .modRevision(number)
            default: operand = .value(randomValue())
            }
            let range = Int.random(in: 0..<3, using: &generator) == 0
                ? randomRange() : KeyRange(key: randomKey())
            return Compare(result: result, target: target, key: range.key,
                rangeEnd: range.rangeEnd, operand: operand)
        }

        mutating func randomOps() -> [RequestOp] {
            (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: return .put(PutRequest(key: randomKey(), value: randomValue()))
                case 1:
                    let range = randomRange()
                    return .deleteRange(DeleteRangeRequest(key: range.key,
                        rangeEnd: range.rangeEnd))
                default:
                    let range = randomRange()
                    return .range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd))
                }
            }
        }

        mutating func txnStep() {
            let compares = (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                randomCompare()
            }
            let request = TxnRequest(compare: compares, success: randomOps(), failure: randomOps())
            let outcome = store.exec(.txn(request))
            do {
                try KVCommand.txn(request).validate()
            } catch {
                #expect(outcome.error == error, "seed \(seed)")
                rejectedTxns += 1
                return
            }
            acceptedTxns += 1
            let succeeded = compares.allSatisfy { model.holds($0) }
            var expectedRanges: [[KeyValue]] = []
            for op in succeeded ? request.success : request.failure {
                switch op {
                case .put(let put): model.put(put.key, put.value, lease: 0)
                case .deleteRange(let delete): _ = model.delete(delete.keyRange)
                case .range(let range):
                    expectedRanges.append(
                        model.current.values.filter { range.keyRange.contains($0.key) }
                            .sorted { ByteOrder.less($0.key, $1.key) })
                case .txn: break
                }
            }
            let events = model.pending
            model.commit()
            #expect(outcome.txnResponse?.succeeded == succeeded, "seed \(seed)")
            #expect(outcome.events == events, "seed \(seed)")
            let ranges = outcome.txnResponse?.responses.compactMap { $0.range?.kvs } ?? []
            #expect(ranges == expectedRanges, "seed \(seed)")
        }

        mutating func compactStep() {
            let target = Int64.random(in: 0...(model.revision + 1), using: &generator)
            let outcome = store.exec(.compact(revision: target))
            if target <= model.compactRevision {
                #expect(outcome.error == .compacted, "seed \(seed)")
            } else if target > model.revision {
                #expect(outcome.error == .futureRevision, "seed \(seed)")
            } else {
                #expect(outcome.error == nil, "seed \(seed)")
                model.compactRevision = target
            }
        }

        mutating func leaseGrantStep() {
            let id = Int64.random(in: 1...3, using: &generator)
            let outcome = store.exec(.leaseGrant(id: id, ttlSeconds: 10))
            if model.leases[id] != nil {
                #expect(outcome.error == .leaseExists, "seed \(seed)")
            } else {
                model.leases[id] = []
            }
        }

        mutating func leaseRevokeStep() {
            let id = Int64.random(in: 1...3, using: &generator)
            let outcome = store.exec(.leaseRevoke(id: id))
            guard let keys = model.leases[id] else {
                #expect(outcome.error == .leaseNotFound, "seed \(seed)")
                return
            }
            for key in keys.sorted(by: ByteOrder.less) { _ = model.delete(KeyRange(key: key)) }
            model.leases[id] = nil
            let events = model.pending
            model.commit()
            #expect(outcome.events == events, "seed \(seed)")
        }

        /// Every range at every readable revision, the history and the counters.
        func compareEverything() throws {
            #expect(store.revision == model.revision, "seed \(seed)")
            #expect(store.compactRevision == model.compactRevision, "seed \(seed)")
            #expect(store.keyCount == model.current.count, "seed \(seed)")
            #expect(store.leases() == model.leases.keys.sorted(), "seed \(seed)")
            for revision in max(model.compactRevision, 1)...model.revision {
                for range in [KeyRange.all, KeyRange(key: bytes("k03"), rangeEnd: bytes("k07"))] {
                    let expected = model.read(range, at: revision)
                    let response = try store.range(
                        RangeRequest(key: range.key, rangeEnd: range.rangeEnd,
                            revision: revision))
                    #expect(response.kvs == expected, "seed \(seed) revision \(revision)")
                    #expect(response.count == Int64(expected.count), "seed \(seed)")
                }
            }
            if model.compactRevision > 1 {
                #expect(throws: KVError.compacted) {
                    try store.range(RangeRequest(key: [0], rangeEnd: [0],
                        revision: model.compactRevision - 1))
                }
            }
            let from = model.compactRevision
            let history = try store.events(in: .all, fromRevision: from, limit: 1_000_000)
            #expect(history.events == model.events.filter { $0.kv.modRevision >= from },
                "seed \(seed)")
            #expect(store.index.invariantViolation() == nil, "seed \(seed)")
        }
    }

    @Test("random puts, deletes, txns, compactions and leases match the reference model",
        arguments: [1, 2, 3, 42, 1_000_003] as [UInt64])
    func randomized(seed: UInt64) throws {
        var runner = Runner(seed: seed)
        for step in 1...600 {
            runner.step()
            if step % 100 == 0 { try runner.compareEverything() }
        }
        try runner.compareEverything()
        // The run must exercise both valid and rejected txns to mean anything.
        #expect(runner.acceptedTxns > 50 && runner.rejectedTxns > 10, "seed \(seed)")
        let decoded = try MVCCStore.decodeSnapshot(runner.store.encodeSnapshot())
        try SnapshotTests.expectSameState(runner.store, decoded)
    }
}
