/// The memo of explored configurations (Lowe §4; Porcupine's `cache`), with one refinement for
/// unknown-outcome operations.
///
/// A configuration is (known-outcome operations linearized, unknown-outcome operations
/// linearized, state). Lowe prunes exact repeats. Here a configuration is also pruned when a
/// stored one has the same known set and state and a SUBSET of its unknown operations: from the
/// stored one every continuation of the new one is still possible (the extra unknown operations
/// can be placed later or never, and the remaining known operations and their deadlines are the
/// same), so if the stored one is dead the new one is too, and if the stored one succeeds the
/// search has already succeeded. Without this, every pending unknown-outcome operation doubles
/// the configurations a refutation must visit.
///
/// Exact repeats are found by hashing; the subset test scans only the first
/// `unknownSetsPerKeyMax` unknown sets stored per (known set, state), which keeps a lookup
/// bounded. Keeping fewer sets only prunes less, never wrongly.
struct ConfigurationCache<State: Hashable> {
    /// Bounds the subset scan of one lookup (each set is a few machine words).
    static var unknownSetsPerKeyMax: Int { 16 }

    private struct Key: Hashable {
        var known: LinearizedSet
        var state: State
    }

    private struct Configuration: Hashable {
        var known: LinearizedSet
        var unknown: LinearizedSet
        var state: State
    }

    private var configurations: Set<Configuration> = []
    private var unknownSetsByKey: [Key: [LinearizedSet]] = [:]

    /// Configurations stored.
    var count: Int { configurations.count }

    /// Stores the configuration and returns true, or returns false when it equals or is
    /// dominated by one stored before.
    mutating func insertIfNew(
        known: LinearizedSet, unknown: LinearizedSet, state: State
    ) -> Bool {
        let configuration = Configuration(known: known, unknown: unknown, state: state)
        guard configurations.insert(configuration).inserted else { return false }
        let key = Key(known: known, state: state)
        guard let stored = unknownSetsByKey[key] else {
            unknownSetsByKey[key] = [unknown]
            return true
        }
        if stored.contains(where: { $0.isSubset(of: unknown) }) { return false }
        if stored.count < Self.unknownSetsPerKeyMax {
            unknownSetsByKey[key, default: []].append(unknown)
        }
        return true
    }
}
