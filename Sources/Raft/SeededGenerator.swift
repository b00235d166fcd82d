/// A seeded xoshiro256** generator (Blackman & Vigna, 2018), state expanded from the seed
/// with SplitMix64. The core owns one so that election timeouts are random across nodes
/// but replay exactly from `RaftConfig.randomSeed` (Swift's system generator cannot be
/// seeded).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var splitMix = seed
        s0 = SeededGenerator.splitMix64(&splitMix)
        s1 = SeededGenerator.splitMix64(&splitMix)
        s2 = SeededGenerator.splitMix64(&splitMix)
        s3 = SeededGenerator.splitMix64(&splitMix)
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
