import Platform
import Raft

/// Everything `roost server` is told on its command line, with the defaults a newcomer
/// gets from a bare `roost server`.
public struct ServerConfiguration: Sendable {
    public var name = "default"
    public var dataDirectory = "./roost.data"
    public var clientAddress = "127.0.0.1:2379"
    public var peerAddress = "127.0.0.1:2380"
    /// The members a new cluster starts with, `name=http://host:port,…`; nil means a
    /// one-member cluster of this server. Ignored once the data directory exists.
    public var initialCluster: String?
    /// Mixed into the member and cluster IDs, so two clusters started from the same
    /// member list still refuse each other's peers.
    public var initialClusterToken = "roost-cluster"
    /// `new` bootstraps the `initialCluster` members as voters; `existing` joins a running
    /// cluster that has already added this member (`roost members add`): it starts with
    /// no configuration and learns it from the leader.
    public var joinExisting = false
    /// Event loops serving clients; one per core by default.
    public var eventLoopCount = ServerConfiguration.coreCount()
    /// Applied entries between snapshots. etcd uses 100,000; a snapshot here is one
    /// sequential write of the whole image, so this bounds replay time on restart.
    public var snapshotEntries: UInt64 = 100_000
    /// Entries kept in memory behind a snapshot, so a follower slightly behind catches up
    /// from the log instead of a whole snapshot (etcd's SnapshotCatchUpEntries).
    public var snapshotCatchUpEntries: UInt64 = 5_000
    /// Proposals waiting for the log at once. Past this a write is answered "too many
    /// requests" (429) at once instead of queueing without bound.
    public var proposalQueueCapacity = 65_536
    /// Proposals written per WAL batch (one fdatasync covers them all: group commit).
    public var batchEntriesMax = 4_096

    /// Run the embedded Consul agent: register this node, hold its liveness lease, expire
    /// TTL checks and feed DNS. `--no-agent` turns it off for a plain etcd-style member
    /// that writes nothing on its own (revisions then move only with client writes).
    public var runsAgent = true
    /// Let the agent run script checks (`--enable-script-checks`, Consul's
    /// `enable_script_checks`): off by default, since with it anyone who can reach the
    /// HTTP API can run commands on this host.
    public var enableScriptChecks = false
    /// The DNS responder's address (`--listen-dns`); nil disables it.
    public var dnsAddress: String? = "127.0.0.1:8600"
    /// The DNS domain served besides `consul.` (`--dns-domain`).
    public var dnsDomain = "roost"
    /// TTL of DNS answers; 0 (Consul's default) means "do not cache".
    public var dnsTTLSeconds: UInt32 = 0
    /// Where names outside the domain are forwarded (`--dns-recursor`); nil answers REFUSED.
    public var dnsRecursor: String?
    /// The secret every member shares to authenticate peer links (`--peer-secret-file`,
    /// `PeerSecretFile.load`); nil runs them unauthenticated (protocol version 1), which
    /// members with a secret refuse. See docs/operations.md, "Securing peer links".
    public var peerSecret: PeerSecret?

    public init() {}

    static func coreCount() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

#if canImport(Glibc)
    import Glibc
#endif
