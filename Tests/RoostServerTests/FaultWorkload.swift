import Foundation
import Linearizability
import Platform
import RoostClient
import Synchronization

/// Client threads writing and reading through different members while faults are injected,
/// recording every operation for `checkLinearizable` (Jepsen's register workload plus etcd's
/// unique-key puts; reliability.md §4.3).
///
/// Each client issues one request at a time. A write that fails in any way has an unknown
/// outcome (a timeout, a broken connection or a leader change can hide a commit); a failed read
/// has no effect and is left out. Every written value is unique, which keeps the search small.
final class FaultWorkload: @unchecked Sendable {
    /// Keys every client contends on with put, get and compare-and-swap.
    static let sharedKeys = ["s/0", "s/1", "s/2", "s/3"]
    /// A request slower than this counts as unknown: long enough for a loaded CI machine,
    /// short enough that a client stuck on a partitioned member keeps trying.
    static let requestTimeoutMilliseconds = 1_500
    /// Operations recorded per run: bounds the checker's work (it handles thousands per key
    /// partition in seconds).
    static let operationsMax = 20_000

    let recorder = HistoryRecorder<KVInput, KVOutput>(operationsMax: operationsMax)
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    private let acknowledged = Atomic<Int>(0)

    /// Prepended to every key, so rounds of a soak run start from absent keys.
    let keyPrefix: String

    /// Starts `clients` threads; client c talks to member `members[c % members.count]`.
    init(clients: Int, members: [Endpoint], seed: UInt64, keyPrefix: String) {
        self.keyPrefix = keyPrefix
        for clientID in 0..<clients {
            let endpoint = members[clientID % members.count]
            running.add(1, ordering: .acquiringAndReleasing)
            Thread.detachNewThread { [self] in
                var generator = SeededGenerator(seed: seed &+ UInt64(clientID) &* 0x9E37_79B9)
                run(clientID: clientID, endpoint: endpoint, generator: &generator)
                running.subtract(1, ordering: .acquiringAndReleasing)
            }
        }
    }

    /// Writes acknowledged so far: tests poll it to see progress.
    var acknowledgedWrites: Int { acknowledged.load(ordering: .acquiring) }

    /// Stops the clients and waits for their last requests (bounded by the request timeout).
    func stop() {
        stopping.store(true, ordering: .releasing)
        let deadline = Date().addingTimeInterval(10)
        while running.load(ordering: .acquiring) > 0, Date() < deadline { usleep(5_000) }
    }

    /// Waits until `count` more writes are acknowledged (the cluster makes progress).
    func waitForProgress(writes count: Int, seconds: Double = 30) throws {
        let target = acknowledgedWrites + count
        try waitUntil(seconds: seconds) { self.acknowledgedWrites >= target }
    }

    private func run(clientID: Int, endpoint: Endpoint, generator: inout SeededGenerator) {
        var client = EtcdClient(
            endpoints: [endpoint], timeoutMilliseconds: Self.requestTimeoutMilliseconds)
        var sequence = 0
        var lastSeen: [KVBytes: KVBytes] = [:]
        while !stopping.load(ordering: .acquiring) {
            sequence += 1
            let input = Self.nextInput(
                clientID: clientID, sequence: sequence, prefix: keyPrefix, lastSeen: lastSeen,
                &generator)
            guard let operation = try? recorder.invoke(clientID: clientID, input: input, at: now())
            else { return }
            do throws(ClientError) {
                let output = try Self.perform(input, on: client)
                recorder.complete(operation, output: output, at: now())
                if case .get(let key) = input, case .value(let value) = output {
                    lastSeen[key] = value
                }
                if case .get = input {} else {
                    acknowledged.add(1, ordering: .acquiringAndReleasing)
                }
            } catch {
                if case .get = input {
                    recorder.cancel(operation)
                } else {
                    recorder.completeUnknown(operation)
                }
                // A failed connection is not reused; a fresh client dials again.
                client = EtcdClient(
                    endpoints: [endpoint], timeoutMilliseconds: Self.requestTimeoutMilliseconds)
                usleep(20_000)
            }
        }
    }

    private func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Of every 10 requests: 2 unique-key puts, 3 shared-key puts, 3 shared-key linearizable
    /// gets, 2 compare-and-swaps.
    static func nextInput(
        clientID: Int, sequence: Int, prefix: String, lastSeen: [KVBytes: KVBytes],
        _ generator: inout SeededGenerator
    ) -> KVInput {
        let value = KVBytes("c\(clientID)-\(sequence)")
        let shared = KVBytes(prefix + sharedKeys[Int(generator.next() % UInt64(sharedKeys.count))])
        switch generator.next() % 10 {
        case 0, 1: return .put(key: KVBytes(prefix + "u/\(clientID)/\(sequence)"), value: value)
        case 2, 3, 4: return .put(key: shared, value: value)
        case 5, 6, 7: return .get(key: shared)
        default:
            // Expect the value this client last read (absent if it never read one): the swap
            // succeeds unless another client wrote in between.
            return .compareAndSwap(key: shared, expected: lastSeen[shared], new: value)
        }
    }

    static func perform(_ input: KVInput, on client: EtcdClient) throws(ClientError) -> KVOutput {
        switch input {
        case .put(let key, let value):
            try client.put(key.bytes, value.bytes)
            return .ok
        case .get(let key):
            let result = try client.range(key.bytes)
            return .value(result.kvs.first.map { KVBytes($0.value) })
        case .compareAndSwap(let key, let expected, let new):
            let answer = try client.call("kv/txn", casBody(key: key, expected: expected, new: new))
            return .swapped(answer["succeeded"]?.boolValue ?? false)
        case .delete(let key):
            try client.delete(key.bytes)
            return .ok
        }
    }

    /// `/v3/kv/txn`: compare VALUE == expected (or CREATE == 0 for "absent"; etcd compares a
    /// missing operand as zero), then put.
    static func casBody(key: KVBytes, expected: KVBytes?, new: KVBytes) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("compare")
        writer.beginArray()
        writer.beginObject()
        writer.key("key")
        writer.base64(key.bytes)
        writer.key("result")
        writer.string("EQUAL")
        if let expected {
            writer.key("target")
            writer.string("VALUE")
            writer.key("value")
            writer.base64(expected.bytes)
        } else {
            writer.key("target")
            writer.string("CREATE")
            writer.key("create_revision")
            writer.numberAsString(Int64(0))
        }
        writer.endObject()
        writer.endArray()
        writer.key("success")
        writer.beginArray()
        writer.beginObject()
        writer.key("request_put")
        writer.beginObject()
        writer.key("key")
        writer.base64(key.bytes)
        writer.key("value")
        writer.base64(new.bytes)
        writer.endObject()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
