import DiscoveryHTTP
import RoostClient

/// Top-level dispatch of `roost <command>`.
enum Command {
    static let usage = """
        roost: a distributed key-value store and service-discovery server

        Usage:
          roost server [flags]          run a cluster member (see roost server --help)
          roost kv put KEY VALUE        write a key
          roost kv get KEY              read a key or a range
          roost kv del KEY              delete a key or a range
          roost kv watch KEY            stream changes to a key or a range
          roost lease grant|revoke|keepalive|timetolive|list   manage TTL leases
          roost confd [flags]           render config files from keys and services, reload
                                        on change (confd-compatible; roost confd --help)
          roost status                  show the status of each endpoint
          roost members list|add|remove|promote   see and change cluster membership
          roost services register|list|deregister   register and list services (Consul API)
          roost health SERVICE          each instance of a service and its checks
          roost check pass|warn|fail|heartbeat CHECK_ID   update a TTL check
          roost version                 print the version

        Client flags (every client command):
          --endpoints URL[,URL]   servers to try in order (default http://127.0.0.1:2379,
                                  or $ROOST_ENDPOINTS)
          --command-timeout D     how long one request may take (default 10s, or
                                  $ROOST_COMMAND_TIMEOUT)
          --json                  print the server's JSON answers
          --help                  show help for the command

        Exit codes: 0 success, 1 the server refused the request, 2 bad usage,
        3 no server reachable.
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        guard let first = words.first else {
            FileOutput.standardError.write(usage + "\n")
            return 2
        }
        let rest = Array(words.dropFirst())
        switch first {
        case "server": return try ServerCommand.run(rest)
        case "kv": return try KVCommands.run(rest)
        case "confd": return try ConfdCommand.run(rest)
        case "status": return try StatusCommand.run(rest)
        case "members": return try MembersCommand.run(rest)
        case "lease": return try LeaseCommand.run(rest)
        case "services": return try ServicesCommand.run(rest)
        case "health": return try HealthCommand.run(rest)
        case "check": return try CheckCommand.run(rest)
        case "version", "--version":
            FileOutput.standardOutput.write("roost \(RoostVersion.current) (etcd API \("3.5"))\n")
            return 0
        case "help", "--help", "-h":
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        default:
            throw .usage("unknown command '\(first)' (see roost --help)")
        }
    }
}
