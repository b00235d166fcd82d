import DiscoveryHTTP
import KVStore
import Platform
import Raft
import Synchronization
import Testing

@testable import RoostServer

/// The driver on an event loop it shares with the peer transport: start, serve, stop.
@Suite("RaftDriver on a shared event loop")
struct RaftDriverLoopTests {
    /// A one-voter member (id 1) on `loop`.
    static func member(loop: EventLoop, directory: String) throws -> RaftDriver {
        let storage = try DiskStorage.open(directory: directory, bootstrap: ConfState(voters: [1]))
        return try RaftDriverFixture.driver(storage: storage, id: 1, loop: loop)
    }

    static func put(_ key: String) -> (KVCommand, [UInt8]) {
        let command = KVCommand.put(PutRequest(key: Array(key.utf8), value: [1]))
        return (command, command.encode())
    }

    @Test("a one-voter driver on a running loop elects itself and answers a put with its revision")
    func servesOnTheLoop() throws {
        let group = try EventLoopGroup(loopCount: 1, namePrefix: "driver-loop")
        defer { group.shutdown() }
        let driver = try Self.member(
            loop: group.loops[0], directory: ServerProcess.temporaryDirectory("driver-loop"))
        driver.start()
        let answer = Mutex<Result<ApplyOutcome, ServiceError>?>(nil)
        let (command, encoded) = Self.put("a")
        driver.submit(
            RaftDriver.Proposal(command: command, encoded: encoded) { result in
                answer.withLock { $0 = result }
            })
        try waitUntil(seconds: 30) { answer.withLock { $0 } != nil }
        let revision = try answer.withLock { $0 }?.get().revision
        #expect(revision == 2)
        driver.stop()
        #expect(group.loops[0].isRunning, "stopping the driver leaves the shared loop running")
    }

    @Test(
        "a driver stopped before it started answers what was queued 'stopped' (no caller waits forever)"
    )
    func stopBeforeStart() throws {
        let group = try EventLoopGroup(loopCount: 1, namePrefix: "driver-idle")
        defer { group.shutdown() }
        let driver = try Self.member(
            loop: group.loops[0], directory: ServerProcess.temporaryDirectory("driver-idle"))
        let answer = Mutex<Result<ApplyOutcome, ServiceError>?>(nil)
        let (command, encoded) = Self.put("a")
        driver.submit(
            RaftDriver.Proposal(command: command, encoded: encoded) { result in
                answer.withLock { $0 = result }
            })
        driver.stop()
        guard case .failure(.stopped) = answer.withLock({ $0 }) else {
            Issue.record("expected 'stopped', got \(String(describing: answer.withLock { $0 }))")
            return
        }
    }
}
