/// What one run of a check reported, or what a check currently shows.
public struct CheckResult: Sendable, Equatable {
    public var status: HealthStatus
    public var output: String

    public init(status: HealthStatus, output: String) {
        self.status = status
        self.output = output
    }
}
