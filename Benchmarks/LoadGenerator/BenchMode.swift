/// What one run of `roost-bench` does.
enum BenchMode: String, CaseIterable {
    /// Single-key puts of random keys among `--keys` (etcd `benchmark put`).
    case put
    /// Single-key ranges of random keys among `--keys` (etcd `benchmark range`).
    case range
    /// Watch streams on the key prefix while puts run; measures event delivery.
    case watch
    /// Loads keys 0..<keys once, in transactions of `--batch` puts.
    case fill
    /// Waits until `/health` answers and the last filled key can be read (restart timing).
    case ready
    /// Consul API: registers `--services` services with a TTL check each, then passes
    /// every check once per `--interval`; the server's CPU and memory in the steady state.
    case ttlServices = "ttl-services"
    /// Consul API: `--queries` blocking health queries parked on one service, woken by a
    /// check flip `--rounds` times; the wake-up latency of each.
    case blockingWakeup = "blocking-wakeup"
}
