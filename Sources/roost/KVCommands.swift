import Platform
import RoostClient

/// `roost kv put|get|del|watch`.
enum KVCommands {
    static let usage = """
        Usage:
          roost kv put KEY VALUE [--lease ID] [--prev-kv]   ID in hex
          roost kv get KEY [--prefix] [--from-key] [--rev N] [--keys-only] [--count-only]
                           [--limit N] [--consistency l|s]
          roost kv del KEY [--prefix] [--prev-kv]
          roost kv watch KEY [--prefix] [--rev N] [--prev-kv]
        Plus the client flags: --endpoints URL[,URL] --command-timeout D --json --help
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        guard let verb = words.first else { throw .usage(usage) }
        let rest = words.dropFirst()
        let valueFlags = ClientContext.valueFlags.union(["lease", "rev", "limit", "consistency"])
        let switchFlags = ClientContext.switchFlags.union([
            "prefix", "from-key", "keys-only", "count-only", "prev-kv",
        ])
        let arguments = try Arguments(rest, valueFlags: valueFlags, switchFlags: switchFlags)
        if arguments.has("help") {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        let context = try ClientContext(arguments)
        switch verb {
        case "put": return try put(arguments, context)
        case "get": return try get(arguments, context)
        case "del", "delete": return try delete(arguments, context)
        case "watch": return try watch(arguments, context)
        default: throw .usage("unknown kv command '\(verb)'\n" + usage)
        }
    }

    private static func key(_ arguments: Arguments, count: Int) throws(ClientError) -> [UInt8] {
        guard arguments.positional.count == count, let key = arguments.positional.first,
            !key.isEmpty
        else {
            throw .usage(
                count == 2 ? "expected KEY and VALUE\n" + usage : "expected one KEY\n" + usage)
        }
        return Array(key.utf8)
    }

    /// `--prefix` → the prefix range; `--from-key` → every key from KEY on.
    private static func rangeEnd(
        _ key: [UInt8], _ arguments: Arguments
    ) throws(ClientError) -> [UInt8] {
        if arguments.has("prefix") && arguments.has("from-key") {
            throw .usage("--prefix and --from-key cannot be combined")
        }
        if arguments.has("prefix") { return EtcdClient.prefixEnd(key) }
        if arguments.has("from-key") { return [0] }
        return []
    }

    private static func put(
        _ arguments: Arguments, _ context: ClientContext
    ) throws(ClientError) -> Int32 {
        let key = try key(arguments, count: 2)
        let value = Array(arguments.positional[1].utf8)
        var lease: Int64 = 0
        if let text = arguments.options["lease"] {
            guard let id = LeaseCommand.parseID(text) else {
                throw .usage("--lease needs a lease ID in hex, got '\(text)'")
            }
            lease = id
        }
        let answer = try context.client.put(
            key, value, lease: lease, prevKV: arguments.has("prev-kv"))
        if context.json {
            context.printJSON(answer)
        } else {
            FileOutput.standardOutput.write("OK\n")
            if let previous = answer["prev_kv"]?.objectValue,
                let text = previous["value"]?.stringValue, let bytes = try? Base64.decode(text)
            {
                FileOutput.standardOutput.write(
                    Array(arguments.positional[0].utf8) + [0x0A] + bytes + [0x0A])
            }
        }
        return 0
    }

    private static func get(
        _ arguments: Arguments, _ context: ClientContext
    ) throws(ClientError) -> Int32 {
        let key = try key(arguments, count: 1)
        var options = ClientRangeOptions()
        options.rangeEnd = try rangeEnd(key, arguments)
        options.revision = try arguments.int64("rev") ?? 0
        options.limit = try arguments.int64("limit") ?? 0
        options.keysOnly = arguments.has("keys-only")
        options.countOnly = arguments.has("count-only")
        switch arguments.options["consistency"] ?? "l" {
        case "l": options.serializable = false
        case "s": options.serializable = true
        case let other:
            throw .usage(
                "--consistency must be l (linearizable) or s (serializable), got '\(other)'")
        }
        let result = try context.client.range(key, options)
        if context.json {
            context.printJSON(result.raw)
            return 0
        }
        if options.countOnly {
            FileOutput.standardOutput.write("\(result.count)\n")
            return 0
        }
        var output: [UInt8] = []
        for kv in result.kvs {
            output += kv.key + [0x0A]
            if !options.keysOnly { output += kv.value + [0x0A] }
        }
        FileOutput.standardOutput.write(output)
        return 0
    }

    private static func delete(
        _ arguments: Arguments, _ context: ClientContext
    ) throws(ClientError) -> Int32 {
        let key = try key(arguments, count: 1)
        let answer = try context.client.delete(
            key, rangeEnd: try rangeEnd(key, arguments), prevKV: arguments.has("prev-kv"))
        if context.json {
            context.printJSON(answer)
            return 0
        }
        FileOutput.standardOutput.write("\(answer["deleted"]?.int64Value ?? 0)\n")
        for item in answer["prev_kvs"]?.arrayValue ?? [] {
            guard let kv = item.objectValue else { continue }
            let key = (try? Base64.decode(kv["key"]?.stringValue ?? "")) ?? []
            let value = (try? Base64.decode(kv["value"]?.stringValue ?? "")) ?? []
            FileOutput.standardOutput.write(key + [0x0A] + value + [0x0A])
        }
        return 0
    }

    private static func watch(
        _ arguments: Arguments, _ context: ClientContext
    ) throws(ClientError) -> Int32 {
        let key = try key(arguments, count: 1)
        var canceled: ClientError?
        try context.client.watch(
            key, rangeEnd: try rangeEnd(key, arguments),
            startRevision: try arguments.int64("rev") ?? 0,
            prevKV: arguments.has("prev-kv")
        ) { response in
            if context.json {
                context.printJSON(response.raw)
            } else {
                printEvents(response)
            }
            if response.canceled {
                let reason =
                    response.compactRevision != 0
                    ? "watch canceled: the requested revision has been compacted "
                        + "(compact revision \(response.compactRevision))"
                    : "watch canceled: \(response.cancelReason)"
                canceled = .server(status: 200, code: 11, message: reason)
                return false
            }
            return true
        }
        if let canceled { throw canceled }
        return 0
    }

    private static func printEvents(_ response: ClientWatchResponse) {
        var output: [UInt8] = []
        for event in response.events {
            output += Array((event.isDelete ? "DELETE" : "PUT").utf8) + [0x0A]
            output += event.kv.key + [0x0A]
            if !event.isDelete { output += event.kv.value + [0x0A] }
        }
        if !output.isEmpty { FileOutput.standardOutput.write(output) }
    }
}
