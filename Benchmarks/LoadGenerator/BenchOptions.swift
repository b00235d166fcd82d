import Platform

/// The command line of one run, with etcd `benchmark`'s defaults where it has one
/// (8-byte keys, 256-byte values) and the load (64 connections, 10,000 keys).
struct BenchOptions {
    /// Connections (and concurrent clients: one request in flight per connection).
    static let connectionsMax = 4_096
    /// Keys in the key space; 10 million keeps fill requests and key text small.
    static let keysMax = 10_000_000
    /// Value size; etcd's default request limit is 1.5 MiB.
    static let valueBytesMax = 1_048_576
    /// Longest measured window: every run stops by itself.
    static let durationSecondsMax = 600.0
    /// Puts per fill transaction; etcd's `--max-txn-ops` default is 128.
    static let batchMax = 128
    /// Event loop threads of the generator.
    static let threadsMax = 64
    /// Watchers in total (streams × watchers per stream).
    static let watchersMax = 10_000

    var mode: BenchMode
    var endpoint = SocketAddress.ipv4Loopback(port: 2379)
    var connections = 64
    var keys = 10_000
    var valueBytes = 256
    var durationSeconds: Double? = 10
    var total: Int?
    var warmupSeconds = 1.0
    var consistency = Consistency.linearizable
    var threads = 1
    var batch = 128
    /// Watch mode: streams (connections) and watchers on each.
    var watchStreams = 10
    var watchersPerStream = 10
    /// Watch mode: total put rate across put connections; 0 = as fast as possible.
    var putRate = 1_000
    /// Hard limit for `--total` runs, fills and `ready`.
    var timeLimitSeconds = 300.0
    /// Sampled for CPU use during the measured window, when given.
    var serverPID: Int32?
    var json = false
    var seed: UInt64 = 1

    init(mode: BenchMode) {
        self.mode = mode
    }

    var watchersTotal: Int { watchStreams * watchersPerStream }
}
