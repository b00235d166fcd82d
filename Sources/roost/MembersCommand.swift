import Platform
import RoostClient

/// `roost members list|add|remove|promote|update|move-leader`, over etcd's cluster API.
enum MembersCommand {
    static let usage = """
        Usage:
          roost members list
          roost members add PEER_URL [--learner]   then start the member with
                                                   --initial-cluster-state existing
          roost members remove ID                  ID in hex, as `members list` shows it
          roost members promote ID                 make a learner a voter
          roost members update ID PEER_URL         change where the others reach a member
          roost members move-leader ID             hand leadership to a voter
        Plus the client flags: --endpoints URL[,URL] --command-timeout D --json --help
        Changes go to the leader: each endpoint is tried until the leader answers.
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        guard let verb = words.first else { throw .usage(usage) }
        let arguments = try Arguments(
            words.dropFirst(), valueFlags: ClientContext.valueFlags,
            switchFlags: ClientContext.switchFlags.union(["learner"]))
        if arguments.has("help") || verb == "--help" {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        let context = try ClientContext(arguments)
        let answer: JSONObject
        switch verb {
        case "list":
            answer = try context.client.call(
                "cluster/member/list", Array("{}".utf8), idempotent: true)
        case "add":
            guard arguments.positional.count == 1 else {
                throw .usage("expected one PEER_URL\n" + usage)
            }
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("peerURLs")
            writer.beginArray()
            writer.string(arguments.positional[0])
            writer.endArray()
            if arguments.has("learner") {
                writer.key("isLearner")
                writer.bool(true)
            }
            writer.endObject()
            answer = try onLeader(context, "cluster/member/add", writer.bytes)
        case "move-leader":
            guard arguments.positional.count == 1,
                let id = UInt64(arguments.positional[0], radix: 16)
            else {
                throw .usage("expected one member ID in hex\n" + usage)
            }
            answer = try onLeader(
                context, "maintenance/transfer-leadership", Array(#"{"targetID":"\#(id)"}"#.utf8))
            if !context.json {
                FileOutput.standardOutput.write("leader moved to \(arguments.positional[0])\n")
            }
        case "update":
            guard arguments.positional.count == 2,
                let id = UInt64(arguments.positional[0], radix: 16)
            else {
                throw .usage("expected a member ID in hex and one PEER_URL\n" + usage)
            }
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("ID")
            writer.string(String(id))
            writer.key("peerURLs")
            writer.beginArray()
            writer.string(arguments.positional[1])
            writer.endArray()
            writer.endObject()
            answer = try onLeader(context, "cluster/member/update", writer.bytes)
        case "remove", "promote":
            guard arguments.positional.count == 1,
                let id = UInt64(arguments.positional[0], radix: 16)
            else {
                throw .usage("expected one member ID in hex\n" + usage)
            }
            answer = try onLeader(
                context, "cluster/member/\(verb)", Array(#"{"ID":"\#(id)"}"#.utf8))
        default:
            throw .usage("unknown members command '\(verb)'\n" + usage)
        }
        if context.json {
            context.printJSON(answer)
        } else {
            if let added = answer["member"]?.objectValue {
                FileOutput.standardOutput.write("added " + line(added) + "\n")
            }
            for item in answer["members"]?.arrayValue ?? [] {
                if let member = item.objectValue {
                    FileOutput.standardOutput.write(line(member) + "\n")
                }
            }
        }
        return 0
    }

    /// Membership changes are the leader's: try each endpoint, skipping "not leader".
    private static func onLeader(
        _ context: ClientContext, _ route: String, _ body: [UInt8]
    )
        throws(ClientError) -> JSONObject
    {
        var last: ClientError = .unreachable("no endpoint answered")
        for endpoint in context.client.endpoints {
            let single = EtcdClient(
                endpoints: [endpoint], timeoutMilliseconds: context.client.timeoutMilliseconds)
            do {
                return try single.call(route, body)
            } catch {
                if case .server(_, _, let message) = error, message != "etcdserver: not leader" {
                    throw error
                }
                last = error
            }
        }
        throw last
    }

    private static func line(_ member: JSONObject) -> String {
        let id = member["ID"]?.uint64Value.map { String($0, radix: 16) } ?? "?"
        let name = member["name"]?.stringValue ?? "(unstarted)"
        let peers = (member["peerURLs"]?.arrayValue ?? []).compactMap(\.stringValue).joined(
            separator: ",")
        let clients = (member["clientURLs"]?.arrayValue ?? []).compactMap(\.stringValue).joined(
            separator: ",")
        let role = member["isLearner"]?.boolValue == true ? "learner" : "voter"
        return [id, name, role, peers, clients].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
