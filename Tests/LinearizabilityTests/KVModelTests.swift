import Linearizability
import Testing

@Suite("KVModel is the sequential specification of a put/get/cas/delete map")
struct KVModelTests {
    let model = KVModel()

    @Test("get returns the last value put and absent for a missing key")
    func getSemantics() {
        let state = model.step([:], .put(key: "x", value: "1"), .ok)
        #expect(state == ["x": "1"])
        #expect(model.step(["x": "1"], .get(key: "x"), .value("1")) == ["x": "1"])
        #expect(model.step(["x": "1"], .get(key: "x"), .value("2")) == nil)
        #expect(model.step([:], .get(key: "x"), .value(nil)) == [:])
    }

    @Test("compare-and-swap swaps exactly when the current value equals expected")
    func compareAndSwapSemantics() {
        let swap = KVInput.compareAndSwap(key: "x", expected: "1", new: "2")
        #expect(model.step(["x": "1"], swap, .swapped(true)) == ["x": "2"])
        #expect(model.step(["x": "1"], swap, .swapped(false)) == nil)
        #expect(model.step(["x": "3"], swap, .swapped(false)) == ["x": "3"])
        #expect(model.step(["x": "3"], swap, .swapped(true)) == nil)
        let create = KVInput.compareAndSwap(key: "x", expected: nil, new: "1")
        #expect(model.step([:], create, .swapped(true)) == ["x": "1"])
    }

    @Test("an unknown output is accepted and yields the operation's deterministic effect")
    func unknownOutputs() {
        #expect(model.step([:], .put(key: "x", value: "1"), nil) == ["x": "1"])
        #expect(model.step(["x": "1"], .delete(key: "x"), nil) == [:])
        let swap = KVInput.compareAndSwap(key: "x", expected: "1", new: "2")
        #expect(model.step(["x": "1"], swap, nil) == ["x": "2"])
        #expect(model.step(["x": "9"], swap, nil) == ["x": "9"])
    }

    @Test("an output of the wrong kind for the request is impossible")
    func mismatchedOutputKinds() {
        #expect(model.step([:], .put(key: "x", value: "1"), .swapped(true)) == nil)
        #expect(model.step([:], .get(key: "x"), .ok) == nil)
        #expect(model.step([:], .delete(key: "x"), .value(nil)) == nil)
    }

    @Test("operations partition by key and only get is read-only")
    func partitionAndReadOnly() {
        #expect(model.partitionKey(of: .delete(key: "a")) == "a")
        #expect(model.isReadOnly(.get(key: "a")))
        #expect(!model.isReadOnly(.put(key: "a", value: "1")))
    }

    @Test("bytes print as quoted UTF-8, or hex when not printable")
    func bytesDescription() {
        #expect(KVBytes("abc").description == "\"abc\"")
        #expect(KVBytes([0x00, 0xFF]).description == "0x00ff")
        #expect(KVBytes("abc") == KVBytes(Array("abc".utf8)))
    }
}
