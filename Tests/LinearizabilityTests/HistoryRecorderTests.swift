import Dispatch
import Linearizability
import Synchronization
import Testing

@Suite("HistoryRecorder collects invoke/complete events from concurrent clients")
struct HistoryRecorderTests {
    typealias Recorder = HistoryRecorder<KVInput, KVOutput>

    @Test("a completed operation keeps its output and both times")
    func completedOperation() throws {
        let recorder = Recorder()
        let pending = try recorder.invoke(clientID: 3, input: .put(key: "x", value: "1"), at: 5)
        recorder.complete(pending, output: .ok, at: 9)
        #expect(recorder.operations() == [put("x", "1", client: 3, 5...9)])
    }

    @Test("operations still pending or completed as unknown have unknown outcome")
    func pendingAndUnknownOperations() throws {
        let recorder = Recorder()
        _ = try recorder.invoke(clientID: 1, input: .put(key: "x", value: "1"), at: 1)
        let timedOut = try recorder.invoke(clientID: 2, input: .put(key: "x", value: "2"), at: 2)
        recorder.completeUnknown(timedOut)
        #expect(
            recorder.operations() == [
                putUnknown("x", "1", client: 1, calledAt: 1),
                putUnknown("x", "2", client: 2, calledAt: 2),
            ])
    }

    @Test("a cancelled operation certainly had no effect and is left out of the history")
    func cancelledOperation() throws {
        let recorder = Recorder()
        let rejected = try recorder.invoke(clientID: 1, input: .put(key: "x", value: "1"), at: 1)
        recorder.cancel(rejected)
        #expect(recorder.operations().isEmpty)
        #expect(recorder.count == 1)
    }

    @Test("invoke succeeds up to operationsMax and throws full at operationsMax + 1")
    func operationsLimit() throws {
        let recorder = Recorder(operationsMax: 3)
        for time in 0..<3 {
            _ = try recorder.invoke(clientID: 0, input: .get(key: "x"), at: UInt64(time))
        }
        #expect(throws: HistoryRecorderError.full(operationsMax: 3)) {
            _ = try recorder.invoke(clientID: 0, input: .get(key: "x"), at: 3)
        }
        #expect(recorder.count == 3)
    }

    @Test("histories recorded by concurrent threads around a locked map are linearizable")
    func concurrentRecordingIsLinearizable() {
        let recorder = Recorder()
        let clock = Atomic<UInt64>(0)
        let store = Mutex<[KVBytes: KVBytes]>([:])
        DispatchQueue.concurrentPerform(iterations: 8) { client in
            for step in 0..<100 {
                let key = KVBytes("k\(step % 3)")
                let input: KVInput =
                    step % 2 == 0 ? .put(key: key, value: KVBytes("\(client)-\(step)"))
                    : .get(key: key)
                let call = clock.add(1, ordering: .sequentiallyConsistent).newValue
                guard let pending = try? recorder.invoke(clientID: client, input: input, at: call)
                else { return }
                let output = store.withLock { map -> KVOutput in
                    switch input {
                    case .put(let key, let value): map[key] = value; return .ok
                    case .get(let key): return .value(map[key])
                    default: return .ok
                    }
                }
                let returned = clock.add(1, ordering: .sequentiallyConsistent).newValue
                recorder.complete(pending, output: output, at: returned)
            }
        }
        let history = recorder.operations()
        #expect(history.count == 800)
        #expect(check(history) == .linearizable)
    }
}
