/// Named limits of the KV state machine. Each is enforced where its comment says and tested at
/// the limit and one past it.
public enum KVLimits {
    /// Most operations in one txn: etcd counts `max(len(compare), len(success), len(failure))`
    /// and nested txns get the remaining budget (`--max-txn-ops` default 128, `checkTxnRequest`
    /// in etcd `v3rpc/key.go`). Enforced by `KVCommand.validate()` and again by `apply`.
    public static let txnOpsMax = 128

    /// Largest encoded command accepted for proposal: etcd's `--max-request-bytes` default of
    /// 1.5 MiB (`DefaultMaxRequestBytes`, `server/embed/config.go`). Enforced by
    /// `KVCommand.validatedEncoding()`; larger requests fail with `requestTooLarge`.
    public static let requestBytesMax = 1_572_864

    /// Deepest txn nesting the command decoder accepts. The op budget above already bounds a
    /// valid chain of nested txns to `txnOpsMax + 1` levels (each level spends at least one op
    /// of its parent's budget), so this only stops hostile input from recursing without end.
    public static let txnNestingDepthMax = txnOpsMax + 1

    /// Largest lease TTL: etcd's `MaxLeaseTTL` of 9,000,000,000 s (`server/lease/lessor.go`).
    public static let leaseTTLSecondsMax: Int64 = 9_000_000_000

    /// Smallest lease TTL; shorter grants are raised to it, as etcd's lessor does with
    /// `minLeaseTTL = ceil(1.5 × election timeout)` = 2 s for the default 1 s election timeout.
    public static let leaseTTLSecondsMin: Int64 = 2

    /// Most change-log entries `MVCCStore.events(in:fromRevision:limit:)` examines in one call
    /// before returning (at a revision boundary) so a watcher catching up over a long history
    /// cannot hold the store for an unbounded time; the caller continues from `nextRevision`.
    public static let eventsScanMax = 65_536
}
