import Platform
import ServiceCatalog

/// One run of an interval check (HTTP, TCP or script), handed from the agent to a worker
/// thread and back with its result.
struct CheckRun: Sendable, Equatable {
    var checkID: String
    /// The registration the run belongs to (`CheckTracker.Entry.generation`): a result that
    /// comes back after the check was re-registered or removed is dropped.
    var generation: UInt64
    var definition: CheckDefinition

    /// Runs the check with its executor. Blocking (a connect, an HTTP exchange or a child
    /// process, up to the check's timeout, or until `cancellation` is set): worker threads
    /// only.
    func execute(cancellation: CancellationFlag? = nil) -> CheckResult {
        switch definition.kind {
        case .http: HTTPCheckExecutor().run(definition, cancellation: cancellation)
        case .tcp: TCPCheckExecutor().run(definition, cancellation: cancellation)
        case .script: ScriptCheckExecutor().run(definition, cancellation: cancellation)
        case .ttl, .none, .maintenance:
            preconditionFailure("only interval checks are run, not \(checkID)")
        }
    }
}
