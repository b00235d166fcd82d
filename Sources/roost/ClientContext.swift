import Platform
import RoostClient

#if canImport(Glibc)
    import Glibc
#endif

/// What every client command shares: its endpoints, how long one request may take, and
/// output style.
struct ClientContext {
    static let valueFlags: Set<String> = ["endpoints", "command-timeout"]
    static let switchFlags: Set<String> = ["json", "help"]
    /// How long one request may take when neither `--command-timeout` nor
    /// `$ROOST_COMMAND_TIMEOUT` says (etcdctl waits 5 s; a write here may wait for a
    /// leader election, which can take a few seconds on a loaded machine).
    static let commandTimeoutNanosecondsDefault: Int64 = 10_000_000_000
    /// The longest timeout accepted: a day is more than any one request needs, and keeps
    /// the millisecond count far inside what `poll` takes.
    static let commandTimeoutNanosecondsMax: Int64 = 86_400_000_000_000

    let client: EtcdClient
    let json: Bool

    init(_ arguments: Arguments) throws(ClientError) {
        let environment = ClientContext.environment("ROOST_ENDPOINTS")
        let endpoints = try Endpoint.list(arguments.options["endpoints"] ?? environment)
        let timeoutNanoseconds = try ClientContext.commandTimeoutNanoseconds(
            arguments, environment: ClientContext.environment("ROOST_COMMAND_TIMEOUT"))
        client = EtcdClient(
            endpoints: endpoints, timeoutMilliseconds: Int(timeoutNanoseconds / 1_000_000))
        json = arguments.has("json")
    }

    /// `--command-timeout`, else `$ROOST_COMMAND_TIMEOUT` (as etcdctl reads
    /// `ETCDCTL_COMMAND_TIMEOUT`), else the default; from 1 ms to a day.
    static func commandTimeoutNanoseconds(
        _ arguments: Arguments, environment: String?
    ) throws(ClientError) -> Int64 {
        let nanoseconds: Int64
        if let flag = try arguments.durationNanoseconds("command-timeout") {
            nanoseconds = flag
        } else if let text = environment {
            do {
                nanoseconds = try GoDuration.parseNanoseconds(text)
            } catch {
                throw .usage("$ROOST_COMMAND_TIMEOUT needs a duration like 30s, got '\(text)'")
            }
        } else {
            return commandTimeoutNanosecondsDefault
        }
        guard nanoseconds >= 1_000_000, nanoseconds <= commandTimeoutNanosecondsMax else {
            throw .usage("the command timeout must be from 1ms to 24h")
        }
        return nanoseconds
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    func printJSON(_ object: JSONObject) {
        printJSON(.object(object))
    }

    /// Any JSON answer (Consul's reads answer arrays as well as objects).
    func printJSON(_ value: JSONValue) {
        var writer = JSONWriter()
        writer.value(value)
        FileOutput.standardOutput.write(writer.bytes + [0x0A])
    }
}
