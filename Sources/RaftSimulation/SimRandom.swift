import Raft

/// The run's one random source: every choice of the simulator draws from it in a fixed
/// order, so the seed alone decides the run.
struct SimRandom {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool {
        guard percent > 0 else { return false }
        return Int.random(in: 0..<100, using: &generator) < percent
    }

    /// True with probability `perMille` / 1000.
    mutating func chance(perMille: Int) -> Bool {
        guard perMille > 0 else { return false }
        return Int.random(in: 0..<1000, using: &generator) < perMille
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        guard !items.isEmpty else { return nil }
        return items[Int.random(in: 0..<items.count, using: &generator)]
    }

    mutating func shuffled<T>(_ items: [T]) -> [T] {
        items.shuffled(using: &generator)
    }
}
