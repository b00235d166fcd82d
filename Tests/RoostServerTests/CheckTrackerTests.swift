import KVStore
import ServiceCatalog
import Testing

@testable import RoostServer

let secondNanoseconds: UInt64 = 1_000_000_000

/// A check of `node` as registration stores it (interval raised to Consul's minimum).
func intervalCheck(
    _ id: String, node: String = "n1", http: String = "http://127.0.0.1:1/health",
    tcp: String = "", script: [String] = [], intervalSeconds: Int64 = 10,
    status: HealthStatus = .critical, serviceID: String = ""
) -> CatalogCheck {
    CatalogCheck(
        node: node, checkID: id, name: id, status: status, serviceID: serviceID,
        definition: CheckDefinition(
            http: http, tcp: tcp, scriptArgs: script,
            intervalNanoseconds: intervalSeconds * 1_000_000_000))
}

func revisioned(_ check: CatalogCheck, _ modRevision: UInt64) -> Revisioned<CatalogCheck> {
    Revisioned(check, createIndex: modRevision, modifyIndex: modRevision)
}

@Suite("Check tracker: what runs next and which results are written (pure)")
struct CheckTrackerTests {
    let interval = 10 * secondNanoseconds

    /// Runs the check once, `interval` after `now`, with `result`; returns the writes.
    func cycle(
        _ tracker: inout CheckTracker, _ result: CheckResult, now: inout UInt64
    ) -> [CheckWrite] {
        now += interval
        let runs = tracker.due(nowNanoseconds: now)
        #expect(runs.count == 1)
        for run in runs { tracker.finished(run, result: result, nowNanoseconds: now) }
        return tracker.writes(nowNanoseconds: now)
    }

    /// Answers `writes` as applied at `revision` (the catalog takes them).
    func apply(_ tracker: inout CheckTracker, _ writes: [CheckWrite], revision: Int64, now: UInt64)
    {
        for write in writes {
            tracker.written(write, .applied(revision: revision), nowNanoseconds: now)
        }
    }

    @Test("a new check first runs after a random delay within its interval (Consul stagger)")
    func firstRunStaggered() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 7)
        let checks = (0..<8).map { revisioned(intervalCheck("c\($0)"), UInt64($0) + 1) }
        tracker.reconcile(checks, nowNanoseconds: 0)
        var firstRun: [String: UInt64] = [:]
        var now: UInt64 = 0
        while now <= interval {
            for run in tracker.due(nowNanoseconds: now) {
                #expect(firstRun[run.checkID] == nil, "\(run.checkID) handed out twice")
                firstRun[run.checkID] = now
            }
            now += secondNanoseconds / 10
        }
        #expect(firstRun.count == 8)
        #expect(Set(firstRun.values).count > 1, "all first runs at one instant: \(firstRun)")
    }

    @Test("a check is not run again while its run lasts, then one interval after it ends")
    func noOverlap() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        let run = try #require(tracker.due(nowNanoseconds: interval).first)
        #expect(tracker.running == ["web": run.generation])
        for step in 2...6 {
            #expect(tracker.due(nowNanoseconds: UInt64(step) * interval).isEmpty)
        }
        let ended = 6 * interval + 1
        tracker.finished(
            run, result: CheckResult(status: .passing, output: ""), nowNanoseconds: ended)
        #expect(tracker.running.isEmpty)
        #expect(tracker.due(nowNanoseconds: ended + interval - 1).isEmpty)
        #expect(tracker.due(nowNanoseconds: ended + interval).map(\.checkID) == ["web"])
    }

    @Test("only this node's HTTP and TCP checks run, scripts only with enable_script_checks")
    func whatRuns() {
        let checks = [
            intervalCheck("http"), intervalCheck("tcp", http: "", tcp: "127.0.0.1:1"),
            intervalCheck("script", http: "", script: ["/bin/true"]),
            CatalogCheck(
                node: "n1", checkID: "ttl", name: "ttl",
                definition: CheckDefinition(ttlNanoseconds: 10_000_000_000)),
            CatalogCheck(node: "n1", checkID: "catalog", name: "catalog"),
            intervalCheck("elsewhere", node: "n2"),
        ].enumerated().map { revisioned($0.element, UInt64($0.offset) + 1) }
        var closed = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        closed.reconcile(checks, nowNanoseconds: 0)
        #expect(Set(closed.entries.keys) == ["http", "tcp"])
        var open = CheckTracker(node: "n1", scriptChecksEnabled: true, seed: 1)
        open.reconcile(checks, nowNanoseconds: 0)
        #expect(Set(open.entries.keys) == ["http", "tcp", "script"])
    }

    @Test("a result the catalog already shows writes nothing; a new status is written, fenced")
    func writeOnChange() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        var now: UInt64 = 0
        #expect(cycle(&tracker, CheckResult(status: .critical, output: ""), now: &now).isEmpty)
        let writes = cycle(&tracker, CheckResult(status: .passing, output: "ok"), now: &now)
        let write = try #require(writes.first)
        #expect(writes.count == 1)
        #expect(write.expectedModRevision == 5)
        #expect(write.record.status == .passing)
        #expect(write.record.output == "ok")
        let key = CatalogKeys.check(node: "n1", checkID: "web")
        #expect(
            write.txn.compare == [
                Compare(result: .equal, target: .mod, key: key, operand: .modRevision(5))
            ])
        #expect(
            write.txn.success == [.put(PutRequest(key: key, value: write.record.storedValue()))])
    }

    @Test(
        "a change of status is written whenever it happens; no change, no write",
        arguments: [
            // (shown, desired, written at, now, write?)
            (HealthStatus.passing, HealthStatus.critical, UInt64?(1), UInt64(2), true),
            (.passing, .passing, nil, 0, false),
        ])
    func statusAlwaysWritten(
        shown: HealthStatus, desired: HealthStatus, writtenAt: UInt64?, now: UInt64,
        expected: Bool
    ) {
        #expect(
            CheckTracker.needsWrite(
                shown: CheckResult(status: shown, output: "a"),
                desired: CheckResult(status: desired, output: "a"),
                writtenAtNanoseconds: writtenAt, nowNanoseconds: now) == expected)
    }

    @Test("a change of output alone waits for Consul's check_update_interval (5 min) to pass")
    func outputOnlyInterval() {
        let period = CheckTracker.outputSyncIntervalNanoseconds
        #expect(period == 300 * secondNanoseconds)
        let shown = CheckResult(status: .passing, output: "a")
        let desired = CheckResult(status: .passing, output: "b")
        let cases: [(UInt64?, UInt64, Bool)] = [
            (nil, 7, true), (100, 100 + period - 1, false), (100, 100 + period, true),
        ]
        for (writtenAt, now, expected) in cases {
            #expect(
                CheckTracker.needsWrite(
                    shown: shown, desired: desired, writtenAtNanoseconds: writtenAt,
                    nowNanoseconds: now) == expected, "\(String(describing: writtenAt)) \(now)")
        }
    }

    @Test("SuccessBeforePassing and FailuresBeforeWarning/Critical decide what is written")
    func damping() throws {
        var check = intervalCheck("web", status: .passing)
        check.successBeforePassing = 2
        check.failuresBeforeWarning = 2
        check.failuresBeforeCritical = 3
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(check, 5)], nowNanoseconds: 0)
        var now: UInt64 = 0
        let failure = CheckResult(status: .critical, output: "down")
        #expect(cycle(&tracker, failure, now: &now).isEmpty)
        let warning = cycle(&tracker, failure, now: &now)
        #expect(warning.map(\.record.status) == [.warning])
        apply(&tracker, warning, revision: 6, now: now)
        let critical = cycle(&tracker, failure, now: &now)
        #expect(critical.map(\.record.status) == [.critical])
        #expect(critical.map(\.expectedModRevision) == [6])
        apply(&tracker, critical, revision: 7, now: now)
        let success = CheckResult(status: .passing, output: "up")
        #expect(cycle(&tracker, success, now: &now).isEmpty)
        #expect(cycle(&tracker, success, now: &now).map(\.record.status) == [.passing])
    }

    @Test("a write in flight is not proposed again until answered, or 10 s without an answer")
    func inFlight() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        var now: UInt64 = 0
        let first = cycle(&tracker, CheckResult(status: .passing, output: ""), now: &now)
        #expect(first.count == 1)
        #expect(
            tracker.writes(nowNanoseconds: now + CheckTracker.writeRetryNanoseconds - 1).isEmpty)
        let retry = tracker.writes(nowNanoseconds: now + CheckTracker.writeRetryNanoseconds)
        #expect(retry.map(\.expectedModRevision) == [5])
        tracker.written(try #require(first.first), .failed, nowNanoseconds: now)
        tracker.written(try #require(retry.first), .failed, nowNanoseconds: now)
        #expect(tracker.writes(nowNanoseconds: now + 1).count == 1, "a failed write is retried")
    }

    @Test("this node's write seen in the catalog before its answer is taken as written")
    func ownWriteSeenFirst() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        var now: UInt64 = 0
        let write = try #require(
            cycle(&tracker, CheckResult(status: .passing, output: ""), now: &now).first)
        tracker.reconcile([revisioned(write.record, 6)], nowNanoseconds: now)
        #expect(tracker.entries["web"]?.modRevision == 6)
        #expect(tracker.entries["web"]?.proposed == nil)
        #expect(tracker.writes(nowNanoseconds: now + 20 * secondNanoseconds).isEmpty)
        tracker.written(write, .applied(revision: 6), nowNanoseconds: now)
        #expect(tracker.entries["web"]?.stored == write.record)
        // An older snapshot after the answer changes nothing.
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: now)
        #expect(tracker.entries["web"]?.stored == write.record)
    }

    @Test("a status written by someone else is counted from, never overwritten with an old result")
    func externalWrite() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile(
            [revisioned(intervalCheck("web", status: .passing), 5)], nowNanoseconds: 0)
        var now: UInt64 = 0
        var manual = intervalCheck("web", status: .critical)
        manual.output = "set by hand"
        tracker.reconcile([revisioned(manual, 7)], nowNanoseconds: now)
        #expect(
            tracker.entries["web"]?.desired == CheckResult(status: .critical, output: "set by hand")
        )
        #expect(tracker.writes(nowNanoseconds: now).isEmpty)
        let writes = cycle(&tracker, CheckResult(status: .passing, output: ""), now: &now)
        #expect(writes.map(\.expectedModRevision) == [7])
    }

    @Test("a write that loses its compare waits for the newer record, then writes against it")
    func compareFailed() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        var now: UInt64 = 0
        let write = try #require(
            cycle(&tracker, CheckResult(status: .passing, output: ""), now: &now).first)
        tracker.written(write, .compareFailed, nowNanoseconds: now)
        #expect(tracker.writes(nowNanoseconds: now + 60 * secondNanoseconds).isEmpty)
        var renamed = intervalCheck("web")
        renamed.notes = "re-registered"
        tracker.reconcile([revisioned(renamed, 8)], nowNanoseconds: now)
        #expect(
            cycle(&tracker, CheckResult(status: .passing, output: ""), now: &now)
                .map(\.expectedModRevision) == [8])
    }

    @Test(
        "a new definition restarts the check; the old run's result is dropped, runs never overlap")
    func redefined() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        let old = try #require(tracker.due(nowNanoseconds: interval).first)
        let changed = intervalCheck("web", http: "http://127.0.0.1:2/other", intervalSeconds: 20)
        tracker.reconcile([revisioned(changed, 9)], nowNanoseconds: interval)
        let generation = try #require(tracker.entries["web"]?.generation)
        #expect(generation != old.generation)
        #expect(tracker.due(nowNanoseconds: 10 * interval).isEmpty, "the old run still runs")
        let late = 10 * interval
        tracker.finished(
            old, result: CheckResult(status: .passing, output: ""), nowNanoseconds: late)
        #expect(tracker.writes(nowNanoseconds: late).isEmpty)
        let next = tracker.due(nowNanoseconds: late)
        #expect(next.map(\.generation) == [generation])
        #expect(next.first?.definition == changed.definition)
    }

    @Test("a removed check is dropped and the result of its last run ignored")
    func removed() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        let run = try #require(tracker.due(nowNanoseconds: interval).first)
        tracker.reconcile([], nowNanoseconds: interval)
        #expect(tracker.entries.isEmpty)
        tracker.finished(
            run, result: CheckResult(status: .passing, output: ""), nowNanoseconds: interval)
        #expect(tracker.running.isEmpty)
        #expect(tracker.writes(nowNanoseconds: interval).isEmpty)
        #expect(tracker.due(nowNanoseconds: 100 * interval).isEmpty)
    }

    @Test("a run the pool refused is tried again one interval later, with no result counted")
    func refused() throws {
        var tracker = CheckTracker(node: "n1", scriptChecksEnabled: false, seed: 1)
        tracker.reconcile([revisioned(intervalCheck("web"), 5)], nowNanoseconds: 0)
        let run = try #require(tracker.due(nowNanoseconds: interval).first)
        tracker.finished(run, result: nil, nowNanoseconds: interval)
        #expect(tracker.writes(nowNanoseconds: interval).isEmpty)
        #expect(tracker.due(nowNanoseconds: 2 * interval - 1).isEmpty)
        #expect(tracker.due(nowNanoseconds: 2 * interval).count == 1)
    }
}
