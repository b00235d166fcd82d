import Platform
import RoostClient

/// `roost services register|list|deregister`, over Consul's agent and catalog API
/// (reference/consul.md §3, §4).
enum ServicesCommand {
    static let usage = """
        Usage:
          roost services register --name NAME [--id ID] [--address ADDR] [--port N]
                                  [--tag TAG]... [--meta KEY=VALUE]...
                                  [--ttl 10s | --http URL --interval 10s [--timeout 2s]
                                             | --tcp HOST:PORT --interval 10s [--timeout 2s]]
                                  [--deregister-critical-after 1m]
                                  prints the service ID (the name unless --id), and with
                                  --ttl the check ID to pass: service:ID
          roost services list                  every service name with its tags
          roost services deregister ID         remove an instance and its checks
        Durations are Go's: 500ms, 10s, 1m30s. New checks start critical.
        An instance lives on the node of the server that registered it: update its check
        and deregister it through that server.
        Plus the client flags: --endpoints URL[,URL] --command-timeout D --json --help
        """

    /// The flags of `services register`; the other verbs take only the client flags.
    static let registerFlags: Set<String> = [
        "name", "id", "address", "port", "tag", "meta", "ttl", "http", "tcp", "interval",
        "timeout", "deregister-critical-after",
    ]

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        guard let verb = words.first else { throw .usage(usage) }
        let valueFlags =
            verb == "register"
            ? ClientContext.valueFlags.union(registerFlags) : ClientContext.valueFlags
        let arguments = try Arguments(
            words.dropFirst(), valueFlags: valueFlags, switchFlags: ClientContext.switchFlags)
        if arguments.has("help") || verb == "--help" {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        switch verb {
        case "register":
            let registration = try registration(arguments)
            return try register(registration, try ClientContext(arguments))
        case "list":
            guard arguments.positional.isEmpty else {
                throw .usage("services list takes no arguments\n" + usage)
            }
            return try list(try ClientContext(arguments))
        case "deregister":
            guard arguments.positional.count == 1, !arguments.positional[0].isEmpty else {
                throw .usage("expected one service ID\n" + usage)
            }
            let context = try ClientContext(arguments)
            try context.client.deregisterService(id: arguments.positional[0])
            if !context.json {
                FileOutput.standardOutput.write(
                    "service \(arguments.positional[0]) deregistered\n")
            }
            return 0
        default:
            throw .usage("unknown services command '\(verb)'\n" + usage)
        }
    }

    private static func register(
        _ registration: ConsulServiceRegistration, _ context: ClientContext
    ) throws(ClientError) -> Int32 {
        try context.client.registerService(registration)
        let id = registration.effectiveID
        let checkID = registration.check.map { _ in ConsulCheckDefinition.checkID(serviceID: id) }
        if context.json {
            var object = JSONObject()
            object.append("ID", .string(id))
            if let checkID { object.append("CheckID", .string(checkID)) }
            context.printJSON(object)
            return 0
        }
        FileOutput.standardOutput.write(id + "\n")
        // Only a TTL check is the caller's to update, so only its ID is worth printing.
        if case .ttl? = registration.check?.probe, let checkID {
            FileOutput.standardOutput.write(checkID + "\n")
        }
        return 0
    }

    private static func list(_ context: ClientContext) throws(ClientError) -> Int32 {
        let result = try context.client.catalogServices()
        if context.json {
            context.printJSON(result.raw)
            return 0
        }
        var table = TextTable()
        for service in result.value {
            table.append([service.name, service.tags.joined(separator: ",")])
        }
        FileOutput.standardOutput.write(table.text)
        return 0
    }

    /// The register flags as a registration; every mistake is a usage error.
    static func registration(
        _ arguments: Arguments
    ) throws(ClientError) -> ConsulServiceRegistration {
        guard arguments.positional.isEmpty else {
            throw .usage(
                "unexpected argument '\(arguments.positional[0])': services register takes "
                    + "only flags\n" + usage)
        }
        guard let name = arguments.options["name"], !name.isEmpty else {
            throw .usage("services register needs --name\n" + usage)
        }
        var registration = ConsulServiceRegistration(name: name)
        if let id = arguments.options["id"] {
            guard !id.isEmpty else { throw .usage("--id needs a non-empty ID") }
            registration.id = id
        }
        registration.address = arguments.options["address"] ?? ""
        if let text = arguments.options["port"] {
            guard let port = Int(text), (0...65_535).contains(port) else {
                throw .usage("--port needs a port number from 0 to 65535, got '\(text)'")
            }
            registration.port = port
        }
        registration.tags = arguments.values("tag")
        for pair in arguments.values("meta") {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw .usage("--meta needs KEY=VALUE, got '\(pair)'")
            }
            let key = String(pair[..<equals])
            guard registration.meta[key] == nil else {
                throw .usage("--meta key '\(key)' is given twice")
            }
            registration.meta[key] = String(pair[pair.index(after: equals)...])
        }
        registration.check = try check(arguments)
        return registration
    }

    /// `--ttl`, `--http` or `--tcp` with their timing flags; nil when none is given.
    static func check(_ arguments: Arguments) throws(ClientError) -> ConsulCheckDefinition? {
        let kinds = ["ttl", "http", "tcp"].filter { arguments.options[$0] != nil }
        let interval = try arguments.durationNanoseconds("interval")
        let timeout = try arguments.durationNanoseconds("timeout")
        let deregister = try arguments.durationNanoseconds("deregister-critical-after")
        guard kinds.count <= 1 else {
            throw .usage("--ttl, --http and --tcp exclude each other: one check per service")
        }
        guard let kind = kinds.first else {
            for flag in ["interval", "timeout", "deregister-critical-after"]
            where arguments.options[flag] != nil {
                throw .usage("--\(flag) needs a check: --ttl, --http or --tcp")
            }
            return nil
        }
        let probe: ConsulCheckDefinition.Probe
        if kind == "ttl" {
            for flag in ["interval", "timeout"] where arguments.options[flag] != nil {
                throw .usage("--\(flag) goes with --http or --tcp, not --ttl")
            }
            probe = .ttl(nanoseconds: try arguments.durationNanoseconds("ttl") ?? 0)
        } else {
            guard let interval else { throw .usage("--\(kind) needs --interval, e.g. 10s") }
            let target = arguments.options[kind] ?? ""
            if kind == "http" {
                guard target.hasPrefix("http://") || target.hasPrefix("https://") else {
                    throw .usage("--http needs an http:// or https:// URL, got '\(target)'")
                }
                probe = .http(url: target, intervalNanoseconds: interval)
            } else {
                guard let colon = target.lastIndex(of: ":"), colon != target.startIndex,
                    let port = UInt16(target[target.index(after: colon)...]), port != 0
                else {
                    throw .usage("--tcp needs HOST:PORT, got '\(target)'")
                }
                probe = .tcp(address: target, intervalNanoseconds: interval)
            }
        }
        return ConsulCheckDefinition(
            probe, timeoutNanoseconds: timeout ?? 0,
            deregisterCriticalServiceAfterNanoseconds: deregister ?? 0)
    }
}
