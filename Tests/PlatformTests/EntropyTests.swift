import Platform
import Testing

@Suite("Entropy (getrandom)")
struct EntropyTests {
    @Test("draws have the requested length, beyond one 256-byte getrandom call too")
    func lengths() {
        #expect(Entropy.bytes(count: 0).isEmpty)
        #expect(Entropy.bytes(count: 32).count == 32)
        let long = Entropy.bytes(count: 600)
        #expect(long.count == 600)
        // 600 zero bytes from a working getrandom: probability 2^-4800.
        #expect(long.contains { $0 != 0 })
    }

    @Test("two 32-byte nonces differ (a repeat would mean a broken source, odds 2^-256)")
    func distinct() {
        #expect(Entropy.bytes(count: 32) != Entropy.bytes(count: 32))
    }
}
