import Platform
import RoostClient
import RoostServer

#if canImport(Glibc)
    import Glibc
#endif

/// `roost server`: runs one member until SIGINT or SIGTERM.
enum ServerCommand {
    static let usage = """
        Usage: roost server [flags]
          --name NAME                 member name (default "default")
          --data-dir DIR              where the log and snapshots live (default ./roost.data)
          --listen-client HOST:PORT   client API: etcd /v3, /version, /health
                                      (default 127.0.0.1:2379; port 0 picks a free port)
          --listen-peer HOST:PORT     peer traffic (default 127.0.0.1:2380)
          --peer-secret-file PATH     authenticate peer links with the secret in PATH
                                      (16 to 4096 bytes, mode 600; every member needs
                                      the same file). Not encryption: see
                                      docs/operations.md, "Securing peer links"
          --initial-cluster N=URL,…   the members a new cluster starts with, e.g.
                                      n1=http://10.0.0.1:2380,n2=http://10.0.0.2:2380
                                      (default: this server alone); ignored once the
                                      data directory exists
          --initial-cluster-token T   mixed into the IDs so two clusters never mix
                                      (default roost-cluster)
          --initial-cluster-state S   new (default) bootstraps --initial-cluster;
                                      existing joins a running cluster after
                                      `roost members add` named this member
          --listen-dns HOST:PORT      DNS for service names over UDP and TCP
                                      (default 127.0.0.1:8600; empty disables)
          --dns-domain DOMAIN         the domain answered (default roost; consul is
                                      always accepted too)
          --dns-ttl SECONDS           TTL of DNS answers (default 0)
          --dns-recursor HOST:PORT    forward other names there (default: REFUSED)
          --no-agent                  no embedded Consul agent: no node registration,
                                      TTL check expiry, health checks or DNS catalog
                                      (as leader it still sweeps sessions)
          --enable-script-checks      let the agent run script checks (Args); off by
                                      default: anyone reaching the API could run commands
          --snapshot-count N          applied entries between snapshots (default 100000)
          --event-loops N             client I/O threads (default: one per core)
          --snapshot-catchup-entries N  log entries kept behind a snapshot for slow
                                      followers (default 5000)
        Stops gracefully on SIGINT or SIGTERM.
        """

    static func run(_ words: [String]) throws(ClientError) -> Int32 {
        let arguments = try Arguments(
            words,
            valueFlags: [
                "name", "data-dir", "listen-client", "listen-peer", "snapshot-count", "event-loops",
                "initial-cluster", "initial-cluster-token", "initial-cluster-state",
                "snapshot-catchup-entries", "listen-dns", "dns-domain", "dns-ttl", "dns-recursor",
                "peer-secret-file",
            ],
            switchFlags: ["help", "no-agent", "enable-script-checks"])
        if arguments.has("help") {
            FileOutput.standardOutput.write(usage + "\n")
            return 0
        }
        guard arguments.positional.isEmpty else {
            throw .usage("unexpected argument '\(arguments.positional[0])'\n" + usage)
        }
        let configuration = try configure(arguments)
        // Block the stop signals before any thread starts, so every thread inherits the
        // mask and only the signalfd below sees them.
        let signals: SignalWatcher
        do {
            signals = try SignalWatcher()
        } catch {
            throw .usage("cannot watch signals: \(error)")
        }
        let server = RoostServer(configuration: configuration)
        do {
            try server.start(onFatal: { reason in
                FileOutput.standardError.write("roost: fatal: \(reason)\n")
                kill(getpid(), SIGTERM)
            })
        } catch {
            FileOutput.standardError.write("roost: \(error)\n")
            return 1
        }
        let address = server.clientAddress.map { "http://\($0)" } ?? configuration.clientAddress
        FileOutput.standardOutput.write(
            """
            roost server '\(configuration.name)' ready
              client API  \(address)  (etcd v3 JSON at /v3, Consul at /v1, /health)
              dns         \(server.dnsAddress.map { "\($0)" } ?? "off")
              peer links  \(configuration.peerSecret == nil ? "unauthenticated" : "authenticated")
              data        \(configuration.dataDirectory)

            """)
        let signal = signals.wait()
        FileOutput.standardOutput.write("roost: signal \(signal) received, stopping\n")
        server.stop()
        if let reason = server.fatalReason {
            FileOutput.standardError.write("roost: stopped after a fatal error: \(reason)\n")
            return 1
        }
        FileOutput.standardOutput.write("roost: stopped\n")
        return 0
    }

    private static func configure(_ arguments: Arguments) throws(ClientError) -> ServerConfiguration
    {
        var configuration = ServerConfiguration()
        if let name = arguments.options["name"] {
            guard !name.isEmpty else { throw .usage("--name cannot be empty") }
            configuration.name = name
        }
        if let directory = arguments.options["data-dir"] { configuration.dataDirectory = directory }
        if let client = arguments.options["listen-client"] { configuration.clientAddress = client }
        if let peer = arguments.options["listen-peer"] { configuration.peerAddress = peer }
        if let cluster = arguments.options["initial-cluster"] {
            configuration.initialCluster = cluster
        }
        switch arguments.options["initial-cluster-state"] ?? "new" {
        case "new": configuration.joinExisting = false
        case "existing": configuration.joinExisting = true
        case let other:
            throw .usage("--initial-cluster-state must be new or existing, got '\(other)'")
        }
        if let token = arguments.options["initial-cluster-token"] {
            guard !token.isEmpty else { throw .usage("--initial-cluster-token cannot be empty") }
            configuration.initialClusterToken = token
        }
        for (flag, value) in [
            ("--listen-client", configuration.clientAddress),
            ("--listen-peer", configuration.peerAddress),
        ] {
            guard (try? SocketAddress.parse(value)) != nil else {
                throw .usage("\(flag): '\(value)' is not HOST:PORT (e.g. 127.0.0.1:2379)")
            }
        }
        try configureDNS(arguments, &configuration)
        if let path = arguments.options["peer-secret-file"] {
            guard !path.isEmpty else { throw .usage("--peer-secret-file cannot be empty") }
            do {
                configuration.peerSecret = try PeerSecretFile.load(path)
            } catch {
                throw .usage("\(error)")
            }
        }
        configuration.runsAgent = !arguments.has("no-agent")
        configuration.enableScriptChecks = arguments.has("enable-script-checks")
        if let count = try arguments.int64("snapshot-count") {
            guard count >= 1 else { throw .usage("--snapshot-count must be at least 1") }
            configuration.snapshotEntries = UInt64(count)
        }
        if let keep = try arguments.int64("snapshot-catchup-entries") {
            guard keep >= 0 else { throw .usage("--snapshot-catchup-entries cannot be negative") }
            configuration.snapshotCatchUpEntries = UInt64(keep)
        }
        if let loops = try arguments.int64("event-loops") {
            guard (1...256).contains(loops) else {
                throw .usage("--event-loops must be between 1 and 256")
            }
            configuration.eventLoopCount = Int(loops)
        }
        return configuration
    }

    private static func configureDNS(
        _ arguments: Arguments, _ configuration: inout ServerConfiguration
    ) throws(ClientError) {
        if let dns = arguments.options["listen-dns"] {
            guard dns.isEmpty || (try? SocketAddress.parse(dns)) != nil else {
                throw .usage("--listen-dns: '\(dns)' is not HOST:PORT (e.g. 127.0.0.1:8600)")
            }
            configuration.dnsAddress = dns.isEmpty ? nil : dns
        }
        if let domain = arguments.options["dns-domain"] {
            let trimmed = domain.hasSuffix(".") ? String(domain.dropLast()) : domain
            guard !trimmed.isEmpty else { throw .usage("--dns-domain cannot be empty") }
            configuration.dnsDomain = trimmed
        }
        if let ttl = try arguments.int64("dns-ttl") {
            guard (0...Int64(Int32.max)).contains(ttl) else {
                throw .usage("--dns-ttl must be between 0 and \(Int32.max) seconds")
            }
            configuration.dnsTTLSeconds = UInt32(ttl)
        }
        if let recursor = arguments.options["dns-recursor"] {
            guard (try? SocketAddress.parse(recursor)) != nil else {
                throw .usage("--dns-recursor: '\(recursor)' is not HOST:PORT (e.g. 1.1.1.1:53)")
            }
            configuration.dnsRecursor = recursor
        }
    }
}
