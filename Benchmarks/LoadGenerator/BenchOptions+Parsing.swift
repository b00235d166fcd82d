import Platform

extension BenchOptions {
    static let usage = """
        Usage: roost-bench MODE [options]     (HTTP/1.1 keep-alive, loopback only)
        Modes (etcd v3 JSON gateway):
          put      single-key puts of random keys among --keys
          range    single-key ranges of random keys among --keys (--consistency l|s)
          watch    W watchers on the key prefix while puts run (--put-rate); event rate/latency
          fill     put keys 0..<--keys once, --batch puts per txn
          ready    wait for /health, then for a read of the last key (restart timing)
        Modes (Consul API):
          ttl-services     register --services services with a TTL check each, then pass
                           each check once per --interval over --connections connections
                           for --duration (60) after a --warmup of one interval + 2 s;
                           heartbeat latency, server CPU and memory, whether all still pass
          blocking-wakeup  park --queries blocking /v1/health/service queries on one service,
                           flip its check, time each wake-up; --rounds times
        Options:
          --endpoint HOST:PORT       loopback address (default 127.0.0.1:2379)
          --connections N            connections = clients, one request in flight each (64)
          --keys N                   key space size (10000); keys are "k" + digits, >= 8 bytes
          --value-bytes N            value size (256)
          --duration S               measured seconds (10), after --warmup S (1)
          --total N                  stop after N requests instead of a duration
          --consistency l|s          range: linearizable or serializable (l)
          --threads N                generator event loop threads (1)
          --batch N                  fill: puts per txn (128, etcd's --max-txn-ops)
          --watch-streams N          watch: streams (10)
          --watchers-per-stream N    watch: watchers on each stream (10)
          --put-rate N               watch: puts per second in total, 0 = unpaced (1000)
          --time-limit S             hard stop for --total, fill and ready (300)
          --server-pid PID           also report the server's CPU use in the window
          --seed N                   key choice seed (1)
          --json                     one JSON object on standard output
          --services N               ttl-services: services (10000); blocking-wakeup:
                                     filler services without checks registered first (0)
          --interval S               ttl-services: seconds between passes of a check (10)
          --ttl S                    ttl-services: the checks' TTL in whole seconds (30)
          --queries N                blocking-wakeup: queries (connections) parked (1000)
          --rounds N                 blocking-wakeup: changes, each waking every query (10)
          --settle S                 blocking-wakeup: pause between parking and change (1)
                                     (--time-limit bounds each round there, default 30)
        """

    /// ttl-services: how long after the first interval the window starts, so first passes
    /// that went out late (each a write) are not counted in the steady state.
    static let firstPassMarginSeconds = 2.0

    static func parse(_ words: [String]) throws(BenchError) -> BenchOptions {
        guard let first = words.first, let mode = BenchMode(rawValue: first) else {
            throw .usage(usage)
        }
        var options = BenchOptions(mode: mode)
        switch mode {
        case .fill: options.durationSeconds = nil
        case .ttlServices: options.durationSeconds = 60
        case .blockingWakeup:
            options.durationSeconds = nil
            options.services = 0
            options.timeLimitSeconds = 30
        default: break
        }
        var index = 1
        while index < words.count {
            let flag = words[index]
            if flag == "--json" {
                options.json = true
                index += 1
                continue
            }
            guard index + 1 < words.count else { throw .usage("\(flag) needs a value\n" + usage) }
            try options.apply(flag, words[index + 1])
            index += 2
        }
        // The first pass of each check turns it passing (a write); the steady state
        // starts one interval (and a margin for late passes) later unless a warmup is given.
        if mode == .ttlServices, !words.contains("--warmup") {
            options.warmupSeconds = options.intervalSeconds + Self.firstPassMarginSeconds
        }
        try options.validate()
        return options
    }

    private mutating func apply(_ flag: String, _ value: String) throws(BenchError) {
        switch flag {
        case "--endpoint": endpoint = try Self.loopback(value)
        case "--connections": connections = try Self.int(flag, value, 1...Self.connectionsMax)
        case "--keys": keys = try Self.int(flag, value, 1...Self.keysMax)
        case "--value-bytes": valueBytes = try Self.int(flag, value, 0...Self.valueBytesMax)
        case "--duration":
            durationSeconds = try Self.seconds(flag, value)
            total = nil
        case "--total":
            total = try Self.int(flag, value, 1...Int(Int32.max))
            durationSeconds = nil
        case "--warmup": warmupSeconds = try Self.seconds(flag, value, allowZero: true)
        case "--consistency":
            guard let parsed = Consistency(rawValue: value) else {
                throw .usage("--consistency must be l or s")
            }
            consistency = parsed
        case "--threads": threads = try Self.int(flag, value, 1...Self.threadsMax)
        case "--batch": batch = try Self.int(flag, value, 1...Self.batchMax)
        case "--watch-streams": watchStreams = try Self.int(flag, value, 1...Self.watchersMax)
        case "--watchers-per-stream":
            watchersPerStream = try Self.int(flag, value, 1...Self.watchersMax)
        case "--put-rate": putRate = try Self.int(flag, value, 0...10_000_000)
        case "--time-limit": timeLimitSeconds = try Self.seconds(flag, value)
        case "--server-pid": serverPID = Int32(try Self.int(flag, value, 1...Int(Int32.max)))
        case "--seed": seed = UInt64(try Self.int(flag, value, 0...Int.max))
        case "--services": services = try Self.int(flag, value, 0...Self.servicesMax)
        case "--interval": intervalSeconds = try Self.seconds(flag, value)
        case "--ttl": ttlSeconds = try Self.int(flag, value, 1...Self.ttlSecondsMax)
        case "--queries": queries = try Self.int(flag, value, 1...Self.queriesMax)
        case "--rounds": rounds = try Self.int(flag, value, 1...Self.roundsMax)
        case "--settle": settleSeconds = try Self.seconds(flag, value, allowZero: true)
        default: throw .usage("unknown option \(flag)\n" + Self.usage)
        }
    }

    private func validate() throws(BenchError) {
        guard watchersTotal <= Self.watchersMax else {
            throw .usage("at most \(Self.watchersMax) watchers in total")
        }
        if mode == .watch || mode == .ttlServices, total != nil {
            throw .usage("\(mode.rawValue) runs for a --duration, not a --total")
        }
        if mode == .ttlServices, services == 0 {
            throw .usage("ttl-services needs at least one service")
        }
    }

    /// Only loopback endpoints: this tool floods its target and must never leave the host.
    static func loopback(_ text: String) throws(BenchError) -> SocketAddress {
        var hostPort = text
        if hostPort.hasPrefix("http://") { hostPort.removeFirst("http://".count) }
        if hostPort.hasPrefix("localhost:") {
            hostPort = "127.0.0.1:" + hostPort.dropFirst("localhost:".count)
        }
        let address: SocketAddress
        do {
            address = try SocketAddress.parse(hostPort)
        } catch {
            throw .usage("--endpoint: '\(text)' is not HOST:PORT (\(error))")
        }
        guard address.host.hasPrefix("127.") || address.host == "::1" else {
            throw .usage("--endpoint must be a loopback address (127.0.0.0/8 or ::1)")
        }
        return address
    }

    static func int(
        _ flag: String, _ text: String, _ range: ClosedRange<Int>
    ) throws(BenchError) -> Int {
        guard let value = Int(text.replacing("_", with: "")), range.contains(value) else {
            throw .usage("\(flag) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    static func seconds(
        _ flag: String, _ text: String, allowZero: Bool = false
    ) throws(BenchError) -> Double {
        guard let value = Double(text), value.isFinite, value <= durationSecondsMax,
            allowZero ? value >= 0 : value > 0
        else {
            let lowest = allowZero ? 0 : 0.001
            throw .usage("\(flag) must be seconds in \(lowest)...\(durationSecondsMax)")
        }
        return value
    }
}
