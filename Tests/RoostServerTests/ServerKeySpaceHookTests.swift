import DiscoveryHTTP
import KVStore
import Synchronization
import Testing

@testable import RoostServer

/// The path from a TTL update on the HTTP side to the agent's TTL timers.
@Suite("Server key space: the agent's TTL hook")
struct ServerKeySpaceHookTests {
    @Test("every TTL update reaches the agent at the same stack depth, however many came before")
    func hookDepthStaysFlat() {
        let keySpace = ServerKeySpace(
            identity: MemberIdentity(clusterID: 1, memberID: 1, raftTerm: 1, name: "n1"),
            store: MVCCStore(), wallClockMilliseconds: 0)
        // Where a local of the hook lives: a hook wrapped once more on every call (a
        // closure re-abstracted each time it is read out of its lock) sits deeper each time.
        let addresses = Mutex<[UInt]>([])
        keySpace.attachAgent { _ in
            var marker = 0
            let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            addresses.withLock { $0.append(address) }
        }
        for _ in 0..<1_000 { keySpace.checkTTLRefreshed(node: "n1", checkID: "c") }
        keySpace.checkTTLRefreshed(node: "other", checkID: "c")
        let recorded = addresses.withLock { $0 }
        #expect(recorded.count == 1_000)
        #expect(recorded.first == recorded.last)
    }
}
