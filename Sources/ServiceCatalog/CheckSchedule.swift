/// When each check is due (pure: the caller supplies a monotonic clock in nanoseconds).
///
/// Interval checks (HTTP, TCP, script) run, then wait their interval from the moment the run
/// finished, as Consul's check loops do (agent/checks/check.go `run`), so a slow check never
/// overlaps itself. TTL checks lapse `ttl` after their last update; a lapse is reported once
/// and re-armed by the next update (Consul `CheckTTL`: output "TTL expired").
public struct CheckSchedule: Sendable, Equatable {
    /// Checks one server schedules. Each is a timer and, for interval checks, work on the
    /// executor pool; beyond this registrations are refused rather than starving the others.
    public static let entriesMax = 65_536

    /// What is due at a poll.
    public struct Due: Sendable, Equatable {
        /// Interval checks to run now; each stays out of later polls until `finished`.
        public var run: [String]
        /// TTL checks whose deadline passed: set them critical with `ttlExpiredOutput`.
        public var expired: [String]

        public init(run: [String] = [], expired: [String] = []) {
            self.run = run
            self.expired = expired
        }
    }

    enum Kind: Sendable, Equatable {
        case interval(nanoseconds: UInt64)
        case ttl(nanoseconds: UInt64)
    }

    struct Entry: Sendable, Equatable {
        var kind: Kind
        /// Nil while an interval check runs, or once a TTL lapse was reported.
        var dueNanoseconds: UInt64?
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    public var count: Int { entries.count }

    /// Starts (or restarts) scheduling `checkID`. Interval checks first run after
    /// `firstRunDelayNanoseconds` (Consul staggers first runs randomly within the interval;
    /// the caller picks the delay from its seeded generator). TTL checks lapse `ttl` from
    /// now. Checks that nothing runs (`CheckKind.none`) are not scheduled.
    public mutating func schedule(
        checkID: String, definition: CheckDefinition, nowNanoseconds: UInt64,
        firstRunDelayNanoseconds: UInt64 = 0
    ) throws(CatalogError) {
        let kind: Kind
        switch definition.kind {
        case .ttl: kind = .ttl(nanoseconds: UInt64(definition.ttlNanoseconds))
        case .http, .tcp, .script:
            let interval = max(
                definition.intervalNanoseconds, CheckDefinition.intervalMinNanoseconds)
            kind = .interval(nanoseconds: UInt64(interval))
        case .none, .maintenance:
            entries[checkID] = nil
            return
        }
        guard entries[checkID] != nil || entries.count < Self.entriesMax else {
            throw .serverError("Too many health checks: at most \(Self.entriesMax) per server")
        }
        let due: UInt64
        switch kind {
        case .ttl(let ttl): due = nowNanoseconds &+ ttl
        case .interval: due = nowNanoseconds &+ firstRunDelayNanoseconds
        }
        entries[checkID] = Entry(kind: kind, dueNanoseconds: due)
    }

    public mutating func remove(checkID: String) {
        entries[checkID] = nil
    }

    /// A TTL check was updated (pass/warn/fail/update): its deadline restarts.
    public mutating func ttlRefreshed(checkID: String, nowNanoseconds: UInt64) {
        guard var entry = entries[checkID], case .ttl(let ttl) = entry.kind else { return }
        entry.dueNanoseconds = nowNanoseconds &+ ttl
        entries[checkID] = entry
    }

    /// An interval check's run ended: the next is due one interval from now.
    public mutating func finished(checkID: String, nowNanoseconds: UInt64) {
        guard var entry = entries[checkID], case .interval(let interval) = entry.kind else {
            return
        }
        entry.dueNanoseconds = nowNanoseconds &+ interval
        entries[checkID] = entry
    }

    /// Everything due at `nowNanoseconds`, sorted by check ID; each is taken out of the
    /// schedule until `finished` or `ttlRefreshed`.
    public mutating func poll(nowNanoseconds: UInt64) -> Due {
        var due = Due()
        for (checkID, entry) in entries {
            guard let deadline = entry.dueNanoseconds, deadline <= nowNanoseconds else { continue }
            switch entry.kind {
            case .interval: due.run.append(checkID)
            case .ttl: due.expired.append(checkID)
            }
            entries[checkID]?.dueNanoseconds = nil
        }
        due.run.sort()
        due.expired.sort()
        return due
    }

    /// The earliest pending deadline, for the caller's timer; nil when nothing is pending.
    public func nextDueNanoseconds() -> UInt64? {
        entries.values.compactMap(\.dueNanoseconds).min()
    }

    /// Consul `CheckTTL.getExpiredOutput`.
    public static func ttlExpiredOutput(lastOutput: String) -> String {
        lastOutput.isEmpty
            ? "TTL expired" : "TTL expired (last output before timeout follows): \(lastOutput)"
    }
}
