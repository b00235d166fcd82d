/// Resolved record sets keyed by (question name, type), valid for one catalog generation.
/// Owned by one event loop (no locking). A hit skips the index lookups and record building;
/// the per-query shuffle and the encoding still happen, so answers stay randomised.
public struct DNSAnswerCache: Sendable {
    /// Default entry bound: every name a busy cluster serves (services × tags × types) fits,
    /// and at a few hundred bytes per entry it stays in the low megabytes per loop.
    public static let entriesMaxDefault = 10_000

    struct Key: Hashable, Sendable {
        /// Case-insensitive equality and hashing (`DNSName`).
        let name: DNSName
        let type: DNSRecordType
    }

    /// Most entries kept. When full the whole cache is cleared: random names sent to
    /// flush it only cost the re-resolution of the names that matter. Zero disables it.
    public let entriesMax: Int
    /// The catalog generation the entries were resolved from.
    public private(set) var generation: UInt64 = 0
    private var entries: [Key: DNSResolution] = [:]
    public private(set) var hits = 0
    public private(set) var misses = 0

    public init(entriesMax: Int = DNSAnswerCache.entriesMaxDefault) {
        precondition(entriesMax >= 0, "entriesMax must not be negative")
        self.entriesMax = entriesMax
    }

    public var count: Int { entries.count }

    /// The cached resolution, after dropping everything if the catalog has changed.
    mutating func lookup(_ key: Key, generation: UInt64) -> DNSResolution? {
        if generation != self.generation {
            entries.removeAll(keepingCapacity: true)
            self.generation = generation
        }
        guard let found = entries[key] else {
            misses &+= 1
            return nil
        }
        hits &+= 1
        return found
    }

    mutating func store(_ resolution: DNSResolution, for key: Key, generation: UInt64) {
        guard entriesMax > 0, generation == self.generation else { return }
        if entries.count >= entriesMax { entries.removeAll(keepingCapacity: true) }
        entries[key] = resolution
    }
}
