import Foundation
import KVStore
import Platform
import Synchronization
import Testing

@testable import DiscoveryHTTP

/// Helpers of the session tests: the agent's node, sessions, and the leader's sweeper
/// driven by hand.
extension TestServer {
    /// Registers the key space's node ("test") with a passing node check `mem` and, when
    /// `alive`, writes its alive key so the synthetic serfHealth passes.
    func registerAgentNode(alive: Bool = true) throws {
        let check = try consul(
            .put, "/v1/agent/check/register", #"{"Name":"mem","TTL":"600s","Status":"passing"}"#)
        #expect(check.status == 200)
        if alive { try write(.put(PutRequest(key: Array("_roost/alive/test".utf8)))) }
    }

    /// Applies a command straight to the key space, as the server's own agent would.
    @discardableResult
    func write(_ command: KVCommand) throws -> ApplyOutcome {
        let box = Mutex<ApplyOutcome?>(nil)
        keySpace.propose(command, encoded: []) { result in
            if case .success(let outcome) = result { box.withLock { $0 = outcome } }
        }
        return try #require(box.withLock { $0 })
    }

    /// `PUT /v1/session/create` with `body`; the new ID.
    func createSession(_ body: String = "") throws -> String {
        let response = try consul(.put, "/v1/session/create", body)
        #expect(response.status == 200, "\(response.bodyText)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(object["ID"] as? String)
    }

    /// The one entry of `GET /v1/kv/<key>` as a dictionary; nil on 404.
    func entry(_ key: String) throws -> [String: Any]? {
        let response = try consul(.get, "/v1/kv/\(key)")
        guard response.status == 200 else { return nil }
        let array = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]
        return array?.first
    }

    /// `GET /v1/session/info/<id>` decoded.
    func sessionInfo(_ id: String) throws -> [[String: Any]] {
        let response = try consul(.get, "/v1/session/info/\(id)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
    }

    /// One pass of the leader's sweeper at `now` (Unix ns): read and plan as the leader
    /// does (`SessionSweepPlan.read`), then apply in order.
    @discardableResult
    func sweep(
        nowUnixNanoseconds: UInt64 = WallClock().nowUnixNanoseconds()
    ) throws -> SessionSweepPlan {
        let plan = try #require(
            SessionSweepPlan.read(keySpace, nowUnixNanoseconds: nowUnixNanoseconds))
        for target in plan.targets {
            let invalidation = try #require(
                SessionInvalidation.read(
                    keySpace, sessionID: target.sessionID, reason: target.reason,
                    nowUnixNanoseconds: nowUnixNanoseconds))
            for txn in invalidation.transactions { try write(.txn(txn)) }
            if invalidation.leaseID != 0 { try write(.leaseRevoke(id: invalidation.leaseID)) }
        }
        if let cleanup = plan.lockDelayCleanup { try write(.txn(cleanup)) }
        return plan
    }

    /// Seeds `count` session records on node "test" straight into the store.
    func seedSessions(_ count: Int) throws {
        var remaining = count
        var next = 0
        while remaining > 0 {
            let batch = min(remaining, KVLimits.txnOpsMax)
            var txn = TxnRequest()
            for _ in 0..<batch {
                let id = "seed-\(next)"
                next += 1
                let value =
                    #"{"ID":"\#(id)","Name":"","Node":"test","LockDelay":0,"#
                    + #""Behavior":"release","TTL":"","NodeChecks":null,"ServiceChecks":null}"#
                txn.success.append(
                    .put(
                        PutRequest(
                            key: Array("_roost/session/\(id)".utf8), value: Array(value.utf8))
                    ))
            }
            try write(.txn(txn))
            remaining -= batch
        }
    }
}

/// Whether a store key exists.
func storeHasKey(_ server: TestServer, _ key: String) throws -> Bool {
    try server.keySpace.withStore { (store) throws(KVError) in
        try store.range(RangeRequest(key: Array(key.utf8))).count > 0
    }
}
