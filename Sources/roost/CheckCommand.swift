import Platform
import RoostClient

/// `roost check pass|warn|fail|heartbeat`: update a TTL check through Consul's agent API
/// (`PUT /v1/agent/check/pass|warn|fail/<id>`, reference/consul.md §3.2).
enum CheckCommand {
    static let usage = """
        Usage:
          roost check pass CHECK_ID [--note TEXT]      mark a TTL check passing
          roost check warn CHECK_ID [--note TEXT]      mark it warning
          roost check fail CHECK_ID [--note TEXT]      mark it critical
          roost check heartbeat CHECK_ID --every 5s [--note TEXT]
                pass the check now and every interval until SIGINT or SIGTERM (exit 0),
                as a sidecar does; keep the interval well under the check's TTL. Prints
                a line when the check is first passed and after each recovery; failures
                that retrying can cure are reported on stderr and retried.
        Each update restarts the check's TTL. A service's TTL check is service:SERVICE_ID.
        Only the server that registered the check knows it: use its endpoint.
        Plus the client flags: --endpoints URL[,URL] --command-timeout D --json --help
        """

    /// Shortest heartbeat interval: a TTL check updated more often than this gains nothing
    /// (TTLs are seconds long) and would only load the server.
    static let heartbeatIntervalMinNanoseconds: Int64 = 100_000_000
    /// Longest heartbeat interval: the wait between beats is a poll(2) timeout in Int32
    /// milliseconds (at most about 24.8 days), and no useful TTL comes near a day.
    static let heartbeatIntervalMaxNanoseconds: Int64 = 24 * 3_600_000_000_000

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        guard let verb = words.first else { throw .usage(usage) }
        let valueFlags =
            verb == "heartbeat"
            ? ClientContext.valueFlags.union(["note", "every"])
            : ClientContext.valueFlags.union(["note"])
        let arguments = try Arguments(
            words.dropFirst(), valueFlags: valueFlags, switchFlags: ClientContext.switchFlags)
        if arguments.has("help") || verb == "--help" {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        let status: ConsulHealthStatus
        switch verb {
        case "pass": status = .passing
        case "warn": status = .warning
        case "fail": status = .critical
        case "heartbeat":
            let every = try heartbeatInterval(arguments)
            let checkID = try checkID(arguments)
            let context = try ClientContext(arguments)
            return try CheckHeartbeat(
                checkID: checkID, note: arguments.options["note"] ?? "",
                intervalNanoseconds: every, context: context
            ).run()
        default:
            throw .usage("unknown check command '\(verb)'\n" + usage)
        }
        let checkID = try checkID(arguments)
        let context = try ClientContext(arguments)
        try context.client.updateTTLCheck(checkID, status, note: arguments.options["note"] ?? "")
        if !context.json {
            FileOutput.standardOutput.write("check \(checkID) \(status.rawValue)\n")
        }
        return 0
    }

    static func checkID(_ arguments: Arguments) throws(ClientError) -> String {
        guard arguments.positional.count == 1, !arguments.positional[0].isEmpty else {
            throw .usage("expected one CHECK_ID (a service's TTL check is service:ID)\n" + usage)
        }
        return arguments.positional[0]
    }

    /// `--every`, required, within the heartbeat bounds.
    static func heartbeatInterval(_ arguments: Arguments) throws(ClientError) -> Int64 {
        guard let every = try arguments.durationNanoseconds("every") else {
            throw .usage("check heartbeat needs --every, e.g. --every 5s\n" + usage)
        }
        guard every >= heartbeatIntervalMinNanoseconds,
            every <= heartbeatIntervalMaxNanoseconds
        else {
            throw .usage(
                "--every must be from 100ms to 24h, got '\(arguments.options["every"] ?? "")'")
        }
        return every
    }
}
