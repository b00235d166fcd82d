import DiscoveryHTTP
import KVStore
import Platform
import Raft

@testable import RoostServer

/// Drivers for the driver's own tests: member `id` of cluster 7 over `storage`, with an
/// empty store and member table, default configuration, and no membership or fatal hooks.
enum RaftDriverFixture {
    static func driver(
        storage: DiskStorage, id: UInt64, term: UInt64 = 0, loop: EventLoop,
        send: @escaping @Sendable ([Message]) -> Void = { _ in }
    ) throws -> RaftDriver {
        let core = try RaftCore(config: RaftConfig(id: id), storage: storage)
        let identity = MemberIdentity(clusterID: 7, memberID: id, raftTerm: term, name: "r\(id)")
        return RaftDriver(
            core: core, storage: storage, applied: 0, imageBytes: 0,
            keySpace: ServerKeySpace(
                identity: identity, store: MVCCStore(), wallClockMilliseconds: 0),
            configuration: ServerConfiguration(), members: MemberTable([]), loop: loop,
            send: send, onMembershipChange: { _, _ in }, onFatal: { _ in })
    }
}
