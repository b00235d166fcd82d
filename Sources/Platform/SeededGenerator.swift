import CGlibcShims
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic pseudo-random generator: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled
/// Linear Pseudorandom Number Generators", 2018), its 256-bit state filled from the seed by
/// splitmix64 as the authors recommend (never all zero). Same seed, same sequence, on every
/// platform: election timeouts and randomized tests replay exactly. Not cryptographic.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix64(&mixer), Self.splitMix64(&mixer),
                 Self.splitMix64(&mixer), Self.splitMix64(&mixer))
    }

    /// splitmix64 (Steele, Lea & Flood, "Fast Splittable Pseudorandom Number Generators",
    /// OOPSLA 2014), as in Vigna's splitmix64.c.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    private func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    /// 64 bits from the kernel's entropy pool (getrandom(2)), for the shells to pick a seed
    /// (and log it, so a run can be replayed). getrandom blocks only before the pool is
    /// initialized at early boot; any failure (ENOSYS on a pre-3.17 kernel) stops the
    /// process, since running without a seed is not an option.
    public static func entropySeed() -> UInt64 {
        var seed: UInt64 = 0
        do {
            let count = try Syscall.blocking {
                getrandom(&seed, MemoryLayout<UInt64>.size, 0)
            }
            // Requests of at most 256 bytes are never short (getrandom(2)).
            precondition(count == MemoryLayout<UInt64>.size, "short getrandom read")
        } catch {
            preconditionFailure("getrandom failed: \(error)")
        }
        return seed
    }
}
