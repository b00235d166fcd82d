import Platform
import ServiceCatalog

extension ConsulGateway {
    /// Consul's text for a script check registered over the HTTP API while
    /// `enable_script_checks` is off (agent.go `addCheck`, `ConfigSourceRemote`).
    static let scriptChecksDisabledMessage =
        "Scripts are disabled on this agent from remote calls; to enable, configure "
        + "'enable_script_checks' to true"

    /// Refuses script checks unless the server runs with `--enable-script-checks`. Consul
    /// raises this from `AddService`/`AddCheck`, after the request's own validation, as a
    /// plain error: 500 with the text above.
    func refuseScriptChecks(_ checks: [CatalogCheck]) throws(ConsulError) {
        guard !scriptChecksEnabled, checks.contains(where: { $0.type == .script }) else {
            return
        }
        throw ConsulError(.internalServerError, ConsulGateway.scriptChecksDisabledMessage)
    }
}
