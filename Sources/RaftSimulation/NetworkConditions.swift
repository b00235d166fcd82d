/// Per-message faults of the simulated network during one phase.
struct NetworkConditions: Equatable, CustomStringConvertible {
    /// Chance that a message is lost.
    var lossPercent = 0
    /// Chance that a message is delivered twice (each copy with its own delay).
    var duplicatePercent = 0
    /// Each copy is delayed uniformly in this range; different delays reorder messages.
    var delayTicksMin = 1
    var delayTicksMax = 1

    /// A clean network: no loss, no duplicates, short and nearly constant delays.
    static let healthy = NetworkConditions(
        lossPercent: 0, duplicatePercent: 0, delayTicksMin: 1, delayTicksMax: 2)

    var description: String {
        "loss \(lossPercent)% dup \(duplicatePercent)% delay \(delayTicksMin)-\(delayTicksMax)"
    }
}
