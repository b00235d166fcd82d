import Platform
import RoostClient

/// `roost health SERVICE`: each instance of a service with its health, from Consul's
/// `/v1/health/service/<name>` (reference/consul.md §5).
enum HealthCommand {
    static let usage = """
        Usage: roost health SERVICE [--passing] [--tag TAG]... [--json]
        One row per instance: node, service ID, address:port, its status (the worst of
        its node's and its own checks) and each check as ID=status (output).
          --passing   only instances whose every check is passing
          --tag TAG   only instances with this tag (repeat: all must match)
        Plus the client flags: --endpoints URL[,URL] --command-timeout D --json --help
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        let arguments = try Arguments(
            words, valueFlags: ClientContext.valueFlags.union(["tag"]),
            switchFlags: ClientContext.switchFlags.union(["passing"]))
        if arguments.has("help") {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        guard arguments.positional.count == 1, !arguments.positional[0].isEmpty else {
            throw .usage("expected one SERVICE name\n" + usage)
        }
        let context = try ClientContext(arguments)
        let result = try context.client.serviceHealth(
            arguments.positional[0], passingOnly: arguments.has("passing"),
            tags: arguments.values("tag"))
        if context.json {
            context.printJSON(result.raw)
            return 0
        }
        guard !result.value.isEmpty else { return 0 }
        var table = TextTable(header: ["NODE", "ID", "ADDRESS", "STATUS", "CHECKS"])
        for entry in result.value {
            table.append([
                entry.node, entry.serviceID, hostPort(entry.address, entry.port),
                entry.aggregatedStatus.rawValue,
                entry.checks.map(checkText).joined(separator: ", "),
            ])
        }
        FileOutput.standardOutput.write(table.text)
        return 0
    }

    /// `host:port`, with an IPv6 host in brackets (RFC 3986 §3.2.2); the host alone when
    /// no port was registered (0).
    static func hostPort(_ host: String, _ port: Int) -> String {
        guard port != 0 else { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `service:web1=critical (TTL expired)`; the output only when there is one.
    static func checkText(_ check: ConsulHealthCheck) -> String {
        let text = "\(check.checkID)=\(check.status.rawValue)"
        return check.output.isEmpty ? text : text + " (\(check.output))"
    }
}
