import Platform
import RoostClient

/// `roost lease grant|revoke|keepalive|timetolive|list`, over etcd's lease API. Lease IDs
/// are printed and read in hex, as etcdctl does.
enum LeaseCommand {
    static let usage = """
        Usage:
          roost lease grant TTL              grant a lease of TTL seconds; prints its ID
          roost lease revoke ID              revoke a lease and delete its keys
          roost lease keepalive ID [--once]  keep a lease alive until interrupted
          roost lease timetolive ID [--keys] remaining TTL (and attached keys)
          roost lease list                   every granted lease
        IDs are hexadecimal. Attach keys with `roost kv put KEY VALUE --lease ID`.
        Plus the client flags: --endpoints URL[,URL] --command-timeout D --json --help
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        guard let verb = words.first else { throw .usage(usage) }
        let arguments = try Arguments(
            words.dropFirst(), valueFlags: ClientContext.valueFlags,
            switchFlags: ClientContext.switchFlags.union(["once", "keys"]))
        if arguments.has("help") || verb == "--help" {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        let context = try ClientContext(arguments)
        switch verb {
        case "grant":
            guard arguments.positional.count == 1, let ttl = Int64(arguments.positional[0]) else {
                throw .usage("expected TTL in whole seconds\n" + usage)
            }
            let answer = try context.client.call(
                "lease/grant", Array(#"{"TTL":"\#(ttl)","ID":"0"}"#.utf8))
            return report(context, answer) {
                "lease \(hex($0["ID"])) granted with TTL(\(number($0["TTL"]))s)"
            }
        case "revoke":
            let id = try leaseID(arguments)
            let answer = try context.client.call("lease/revoke", Array(#"{"ID":"\#(id)"}"#.utf8))
            return report(context, answer) { _ in "lease \(String(id, radix: 16)) revoked" }
        case "timetolive":
            let id = try leaseID(arguments)
            let keys = arguments.has("keys") ? #","keys":true"# : ""
            let answer = try context.client.call(
                "lease/timetolive", Array(#"{"ID":"\#(id)"\#(keys)}"#.utf8), idempotent: true)
            return report(context, answer) { timeToLiveLine(id, $0) }
        case "list":
            let answer = try context.client.call("lease/leases", Array("{}".utf8), idempotent: true)
            return report(context, answer) { answer in
                let ids = answer["leases"]?.arrayValue?.compactMap { $0.objectValue?["ID"] } ?? []
                return (["found \(ids.count) leases"] + ids.map { hex($0) })
                    .joined(separator: "\n")
            }
        case "keepalive":
            return try keepAlive(try leaseID(arguments), once: arguments.has("once"), context)
        default:
            throw .usage("unknown lease command '\(verb)'\n" + usage)
        }
    }

    /// Renews every third of the TTL over one open keep-alive stream, as etcd's client
    /// does, until the lease is gone (or once, with `--once`).
    private static func keepAlive(
        _ id: Int64, once: Bool, _ context: ClientContext
    )
        throws(ClientError) -> Int32
    {
        var ttl: Int64 = 0
        try context.client.keepAlive(id) { result in
            ttl = number(result["TTL"])
            if context.json { context.printJSON(result) }
            guard ttl > 0 else { return nil }
            if !context.json {
                FileOutput.standardOutput.write(
                    "lease \(String(id, radix: 16)) keepalived with TTL(\(ttl))\n")
            }
            return once ? nil : UInt64(max(ttl / 3, 1)) * 1_000_000_000
        }
        guard ttl > 0 else {
            FileOutput.standardError.write(
                "lease \(String(id, radix: 16)) expired or revoked.\n")
            return 1
        }
        return 0
    }

    private static func timeToLiveLine(_ id: Int64, _ answer: JSONObject) -> String {
        let ttl = number(answer["TTL"])
        guard ttl >= 0 else { return "lease \(String(id, radix: 16)) already expired" }
        var line =
            "lease \(String(id, radix: 16)) granted with TTL(\(number(answer["grantedTTL"]))s), "
            + "remaining(\(ttl)s)"
        let keys = (answer["keys"]?.arrayValue ?? []).compactMap { value -> String? in
            guard let text = value.stringValue, let bytes = try? Base64.decode(text) else {
                return nil
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        if !keys.isEmpty { line += ", attached keys([\(keys.joined(separator: " "))])" }
        return line
    }

    private static func report(
        _ context: ClientContext, _ answer: JSONObject, _ line: (JSONObject) -> String
    ) -> Int32 {
        if context.json {
            context.printJSON(answer)
        } else {
            FileOutput.standardOutput.write(line(answer) + "\n")
        }
        return 0
    }

    static func leaseID(_ arguments: Arguments) throws(ClientError) -> Int64 {
        guard arguments.positional.count == 1, let id = parseID(arguments.positional[0]) else {
            throw .usage("expected one lease ID in hex\n" + usage)
        }
        return id
    }

    /// A lease ID in hex (etcdctl's form), positive.
    static func parseID(_ text: String) -> Int64? {
        guard let id = Int64(text, radix: 16), id > 0 else { return nil }
        return id
    }

    private static func number(_ value: JSONValue?) -> Int64 {
        if let text = value?.stringValue { return Int64(text) ?? 0 }
        return 0
    }

    private static func hex(_ value: JSONValue?) -> String {
        String(number(value), radix: 16)
    }
}
