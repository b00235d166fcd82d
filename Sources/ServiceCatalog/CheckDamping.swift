/// Consul's `StatusHandler` (agent/checks/check.go): a check must produce a new state several
/// times in a row before it is reported. Warning counts as a success, as in Consul; a run of
/// failures reports warning from `failuresBeforeWarning` and critical from
/// `failuresBeforeCritical`.
///
/// `record` returns a change only when the reported (status, output) differs from the last
/// one, so the server writes to the replicated log only then. TTL updates are not damped.
public struct CheckDamping: Sendable, Equatable {
    public let successBeforePassing: Int
    public let failuresBeforeWarning: Int
    public let failuresBeforeCritical: Int
    /// What the catalog currently shows for the check.
    public private(set) var reported: CheckResult
    private var successCount = 0
    private var failureCount = 0

    public init(
        successBeforePassing: Int, failuresBeforeWarning: Int, failuresBeforeCritical: Int,
        reported: CheckResult
    ) {
        precondition(
            successBeforePassing >= 0 && failuresBeforeWarning >= 0 && failuresBeforeCritical >= 0,
            "damping thresholds are validated on registration")
        self.successBeforePassing = successBeforePassing
        // Consul: FailuresBeforeWarning "defaults to the same value as
        // FailuresBeforeCritical"; 0 and 1 act alike otherwise, so 0 means the default.
        self.failuresBeforeWarning =
            failuresBeforeWarning == 0 ? failuresBeforeCritical : failuresBeforeWarning
        self.failuresBeforeCritical = failuresBeforeCritical
        self.reported = reported
    }

    /// Damping for a stored check, starting from what it shows.
    public init(check: CatalogCheck) {
        self.init(
            successBeforePassing: check.successBeforePassing,
            failuresBeforeWarning: check.failuresBeforeWarning,
            failuresBeforeCritical: check.failuresBeforeCritical,
            reported: CheckResult(status: check.status, output: check.output))
    }

    /// Feeds one run's result; returns the new reported state when it changed.
    public mutating func record(_ result: CheckResult) -> CheckResult? {
        let candidate: CheckResult?
        if result.status == .passing || result.status == .warning {
            successCount += 1
            failureCount = 0
            candidate = successCount >= successBeforePassing ? result : nil
        } else {
            failureCount += 1
            successCount = 0
            if failureCount >= failuresBeforeCritical {
                candidate = result
            } else if failureCount >= failuresBeforeWarning {
                candidate = CheckResult(status: .warning, output: result.output)
            } else {
                candidate = nil
            }
        }
        guard let candidate, candidate != reported else { return nil }
        reported = candidate
        return candidate
    }

    /// The catalog was written by someone else (a TTL update, a re-registration): count
    /// from there.
    public mutating func resetReported(_ result: CheckResult) {
        reported = result
        successCount = 0
        failureCount = 0
    }
}
