import Platform
import RoostClient

/// `roost status`: one line per endpoint, like `etcdctl endpoint status`.
enum StatusCommand {
    static let usage = """
        Usage: roost status [--endpoints URL[,URL]] [--command-timeout D] [--json]
        Shows each endpoint's member ID, version, leader, raft term and indexes.
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        let arguments = try Arguments(
            words, valueFlags: ClientContext.valueFlags, switchFlags: ClientContext.switchFlags)
        if arguments.has("help") {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        guard arguments.positional.isEmpty else { throw .usage(usage) }
        let context = try ClientContext(arguments)
        var failures = 0
        for endpoint in context.client.endpoints {
            let single = EtcdClient(
                endpoints: [endpoint], timeoutMilliseconds: context.client.timeoutMilliseconds)
            do {
                let status = try single.status()
                if context.json {
                    context.printJSON(status)
                } else {
                    FileOutput.standardOutput.write(line(endpoint, status) + "\n")
                }
            } catch {
                failures += 1
                FileOutput.standardError.write("\(endpoint): \(error)\n")
            }
        }
        return failures == 0 ? 0 : (failures == context.client.endpoints.count ? 3 : 1)
    }

    private static func line(_ endpoint: Endpoint, _ status: JSONObject) -> String {
        let header = status["header"]?.objectValue
        let member = header?["member_id"]?.uint64Value ?? 0
        let leader = status["leader"]?.uint64Value ?? 0
        let fields = [
            endpoint.text,
            "member \(String(member, radix: 16))",
            "version \(status["version"]?.stringValue ?? "?")",
            member == leader && member != 0 ? "leader" : "follower",
            "revision \(header?["revision"]?.int64Value ?? 0)",
            "raft term \(status["raftTerm"]?.int64Value ?? 0)",
            "raft index \(status["raftIndex"]?.int64Value ?? 0)",
            "applied \(status["raftAppliedIndex"]?.int64Value ?? 0)",
        ]
        return fields.joined(separator: ", ")
    }
}
