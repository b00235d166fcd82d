import Platform
import ServiceCatalog

/// The state of this node's interval checks (HTTP, TCP and, when enabled, script): which
/// run next, and which results reach the catalog. Pure: the caller passes the catalog's
/// records, the results of runs and a monotonic clock value; nothing here touches a thread,
/// a socket or a clock.
///
/// Consul keeps a loop per check (agent/checks/check.go) feeding a `StatusHandler`; here
/// the loops are `CheckSchedule` entries and the handlers `CheckDamping` values. A result
/// changes the catalog only when the damped status or output differs from what the catalog
/// shows, and every write is fenced on the check key's mod revision (`CheckWrite`).
struct CheckTracker {
    /// Consul's `check_update_interval` default: a change of output alone is written at most
    /// this often after the check's previous write (each write is a replicated log entry,
    /// and an HTTP body with a timestamp would otherwise write on every run). A change of
    /// status is written at once.
    static let outputSyncIntervalNanoseconds: UInt64 = 300_000_000_000
    /// How long a proposed write may go unanswered before it is proposed again. The compare
    /// on the mod revision makes a late first write and its retry safe together.
    static let writeRetryNanoseconds: UInt64 = 10_000_000_000

    struct Entry: Sendable, Equatable {
        /// The record as the catalog holds it: last read, or last written here.
        var stored: CatalogCheck
        var modRevision: Int64
        /// Bumped each time the check is (re)tracked with a new definition.
        var generation: UInt64
        var damping: CheckDamping
        /// A write proposed and not answered yet, and when it was proposed.
        var proposed: CatalogCheck?
        var proposedAtNanoseconds: UInt64 = 0
        /// When this node last wrote the check; nil before its first write.
        var writtenAtNanoseconds: UInt64?
        /// A write lost its compare: wait for the catalog's newer record rather than
        /// proposing again against the old revision.
        var awaitingNewRevision = false

        /// What the runs say the catalog should show.
        var desired: CheckResult { damping.reported }
        var shown: CheckResult { CheckResult(status: stored.status, output: stored.output) }
    }

    let node: String
    let scriptChecksEnabled: Bool
    private(set) var entries: [String: Entry] = [:]
    /// The generation of the run in flight for each check ID. Keyed by ID, not by
    /// registration, so a check never runs twice at once even across re-registrations.
    private(set) var running: [String: UInt64] = [:]
    private var schedule = CheckSchedule()
    /// Checks re-registered while an older run was in flight that came due meanwhile: they
    /// run as soon as that run ends.
    private var dueWhileRunning: Set<String> = []
    private var nextGeneration: UInt64 = 1
    /// Picks each check's first-run delay (Consul staggers first runs within the interval,
    /// `lib.RandomStagger`), so checks registered together do not run together forever.
    private var generator: SeededGenerator

    init(node: String, scriptChecksEnabled: Bool, seed: UInt64) {
        self.node = node
        self.scriptChecksEnabled = scriptChecksEnabled
        generator = SeededGenerator(seed: seed)
    }

    /// Whether this node runs `check`: its own HTTP and TCP checks, and script checks only
    /// with `--enable-script-checks` (Consul's `enable_script_checks`). TTL checks are the
    /// TTL timers' business; checks of kind none are never run.
    func runs(_ check: CatalogCheck) -> Bool {
        guard check.node == node else { return false }
        switch check.type {
        case .http, .tcp: return true
        case .script: return scriptChecksEnabled
        case .ttl, .none, .maintenance: return false
        }
    }

    /// Brings the tracked checks in line with the catalog: new checks are scheduled, removed
    /// ones dropped, changed definitions restarted, and a status written by someone else
    /// becomes what the damping counts from. Records older than one already seen are
    /// ignored (the caller's snapshot may predate a write whose answer arrived since).
    mutating func reconcile(_ checks: [Revisioned<CatalogCheck>], nowNanoseconds now: UInt64) {
        var seen: Set<String> = []
        for check in checks where runs(check.record) {
            let id = check.record.checkID
            seen.insert(id)
            let revision = Int64(clamping: check.modifyIndex)
            guard var entry = entries[id] else {
                track(check.record, revision: revision, now: now)
                continue
            }
            guard revision > entry.modRevision else { continue }
            guard Self.sameRun(entry.stored, check.record) else {
                track(check.record, revision: revision, now: now)
                continue
            }
            if check.record == entry.proposed {
                // This node's own write, seen before its answer.
                entry.proposed = nil
                entry.writtenAtNanoseconds = now
            } else if check.record != entry.stored {
                // Someone else wrote the status or output (a TTL-style update, a
                // re-registration with the same definition): count from there.
                entry.proposed = nil
                entry.damping.resetReported(
                    CheckResult(status: check.record.status, output: check.record.output))
            }
            entry.stored = check.record
            entry.modRevision = revision
            entry.awaitingNewRevision = false
            entries[id] = entry
        }
        for id in entries.keys where !seen.contains(id) {
            entries[id] = nil
            schedule.remove(checkID: id)
            dueWhileRunning.remove(id)
        }
    }

    /// The runs to start now. Each stays out of later answers until `finished`.
    mutating func due(nowNanoseconds now: UInt64) -> [CheckRun] {
        var runs: [CheckRun] = []
        for id in schedule.poll(nowNanoseconds: now).run {
            guard let entry = entries[id] else { continue }
            guard running[id] == nil else {
                dueWhileRunning.insert(id)
                continue
            }
            running[id] = entry.generation
            runs.append(
                CheckRun(
                    checkID: id, generation: entry.generation,
                    definition: entry.stored.definition))
        }
        return runs
    }

    /// A run ended with `result`, or was never started (`nil`: the worker pool was full).
    /// The check is due again one interval from now (Consul waits the interval after a run
    /// ends, so a slow check never overlaps itself).
    mutating func finished(_ run: CheckRun, result: CheckResult?, nowNanoseconds now: UInt64) {
        if running[run.checkID] == run.generation { running[run.checkID] = nil }
        guard var entry = entries[run.checkID] else { return }
        guard entry.generation == run.generation else {
            // The run belonged to an older registration. If the newer one came due
            // meanwhile, it runs now.
            if dueWhileRunning.remove(run.checkID) != nil {
                try? schedule.schedule(
                    checkID: run.checkID, definition: entry.stored.definition,
                    nowNanoseconds: now)
            }
            return
        }
        if let result {
            _ = entry.damping.record(result)
            entries[run.checkID] = entry
        }
        schedule.finished(checkID: run.checkID, nowNanoseconds: now)
    }

    /// The writes to propose now: checks whose damped result differs from the catalog
    /// (`needsWrite`) and that have no write in flight. Sorted by check ID.
    mutating func writes(nowNanoseconds now: UInt64) -> [CheckWrite] {
        var writes: [CheckWrite] = []
        for id in entries.keys.sorted() {
            guard var entry = entries[id], !entry.awaitingNewRevision else { continue }
            if entry.proposed != nil
                && now < entry.proposedAtNanoseconds &+ Self.writeRetryNanoseconds
            {
                continue
            }
            guard
                Self.needsWrite(
                    shown: entry.shown, desired: entry.desired,
                    writtenAtNanoseconds: entry.writtenAtNanoseconds, nowNanoseconds: now)
            else { continue }
            var record = entry.stored
            record.status = entry.desired.status
            record.output = entry.desired.output
            entry.proposed = record
            entry.proposedAtNanoseconds = now
            entries[id] = entry
            writes.append(
                CheckWrite(
                    checkID: id, generation: entry.generation, record: record,
                    expectedModRevision: entry.modRevision))
        }
        return writes
    }

    /// The answer to a proposed write.
    mutating func written(
        _ write: CheckWrite, _ outcome: CheckWrite.Outcome, nowNanoseconds now: UInt64
    ) {
        guard var entry = entries[write.checkID], entry.generation == write.generation else {
            return
        }
        if entry.proposed == write.record { entry.proposed = nil }
        switch outcome {
        case .applied(let revision):
            if revision > entry.modRevision {
                entry.stored = write.record
                entry.modRevision = revision
            }
            entry.writtenAtNanoseconds = now
        case .compareFailed:
            // Only when nothing newer was seen since: then the catalog holds a record this
            // node has not read yet.
            if entry.modRevision == write.expectedModRevision { entry.awaitingNewRevision = true }
        case .failed:
            break
        }
        entries[write.checkID] = entry
    }

    /// Whether the catalog should be written: always for a new status; for a new output
    /// alone, at the first write and then at most every `outputSyncIntervalNanoseconds`.
    static func needsWrite(
        shown: CheckResult, desired: CheckResult, writtenAtNanoseconds: UInt64?,
        nowNanoseconds: UInt64
    ) -> Bool {
        if shown.status != desired.status { return true }
        guard shown.output != desired.output else { return false }
        guard let writtenAt = writtenAtNanoseconds else { return true }
        return nowNanoseconds >= writtenAt &+ outputSyncIntervalNanoseconds
    }

    /// Whether two records run the same way: same definition, same damping thresholds.
    static func sameRun(_ left: CatalogCheck, _ right: CatalogCheck) -> Bool {
        left.definition == right.definition
            && left.successBeforePassing == right.successBeforePassing
            && left.failuresBeforeWarning == right.failuresBeforeWarning
            && left.failuresBeforeCritical == right.failuresBeforeCritical
    }

    /// Starts tracking `check` as a new registration: fresh damping from what the catalog
    /// shows, first run after a random delay within the interval.
    private mutating func track(_ check: CatalogCheck, revision: Int64, now: UInt64) {
        let id = check.checkID
        let interval = UInt64(
            max(check.definition.intervalNanoseconds, CheckDefinition.intervalMinNanoseconds))
        let delay = UInt64.random(in: 0..<interval, using: &generator)
        dueWhileRunning.remove(id)
        do {
            try schedule.schedule(
                checkID: id, definition: check.definition, nowNanoseconds: now,
                firstRunDelayNanoseconds: delay)
        } catch {
            // Past `CheckSchedule.entriesMax`: the check is not run (its status stays as
            // registered) rather than starving the others.
            entries[id] = nil
            return
        }
        entries[id] = Entry(
            stored: check, modRevision: revision, generation: nextGeneration,
            damping: CheckDamping(check: check))
        nextGeneration += 1
    }
}
