/// Encoded answers keyed by (question name, type), valid for one catalog generation.
/// Owned by one event loop (no locking) and used with one answerer. A hit skips decoding,
/// the index lookups, building records and encoding: the response is the cached record
/// bytes copied in a per-query shuffled order (`DNSEncodedAnswer.writeResponse`).
///
/// The lookup reads the question name where it lies in the query: the key is hashed from
/// its case-folded wire bytes (RFC 4343) without building a name, and compared byte by
/// byte against the stored name, so nothing is allocated on a hit.
public struct DNSAnswerCache: Sendable {
    /// Default entry bound: every name a busy cluster serves (services × tags × types) fits,
    /// and at a few hundred bytes per entry it stays in the low megabytes per loop.
    public static let entriesMaxDefault = 10_000
    /// Default bound on the bytes the entries hold: the default entry count at ~1 KiB
    /// each, while a few answers near 64 KiB (TCP, thousands of instances) cannot make a
    /// loop's cache grow past it.
    public static let bytesMaxDefault = 16 * 1024 * 1024

    /// Most entries kept. When full the whole cache is cleared: random names sent to
    /// flush it only cost the re-resolution of the names that matter. Zero disables it.
    public let entriesMax: Int
    /// Most bytes the entries hold (`DNSEncodedAnswer.byteCount`); an entry that would
    /// pass it clears the cache first, and one larger than it alone is never kept.
    public let bytesMax: Int
    /// The catalog generation the entries were resolved from.
    public private(set) var generation: UInt64 = 0
    /// Key hash → index in `entries`. A hash collision (randomly seeded SipHash, so not
    /// something a client can aim for) costs a miss and a replacement, never a wrong answer.
    private var slots: [Int: Int] = [:]
    private var entries: [DNSEncodedAnswer] = []
    public private(set) var byteCount = 0
    public private(set) var hits = 0
    public private(set) var misses = 0

    public init(
        entriesMax: Int = DNSAnswerCache.entriesMaxDefault,
        bytesMax: Int = DNSAnswerCache.bytesMaxDefault
    ) {
        precondition(entriesMax >= 0 && bytesMax >= 0, "cache bounds must not be negative")
        self.entriesMax = entriesMax
        self.bytesMax = bytesMax
    }

    public var count: Int { entries.count }

    /// The entry for `name` (wire form, any case) and `type`, after dropping everything if
    /// the catalog has changed.
    mutating func lookup(
        name: UnsafeRawBufferPointer, type: DNSRecordType, generation: UInt64
    )
        -> DNSEncodedAnswer?
    {
        if generation != self.generation {
            removeAll()
            self.generation = generation
        }
        guard let index = slots[Self.key(name: name, type: type)],
            entries[index].type == type, Self.equalFolded(name, entries[index].name)
        else {
            misses &+= 1
            return nil
        }
        hits &+= 1
        return entries[index]
    }

    mutating func store(_ answer: DNSEncodedAnswer, generation: UInt64) {
        guard entriesMax > 0, generation == self.generation, answer.byteCount <= bytesMax
        else { return }
        let key = answer.name.withUnsafeBytes { Self.key(name: $0, type: answer.type) }
        if let index = slots[key] {
            byteCount -= entries[index].byteCount
            entries[index] = answer
            byteCount += answer.byteCount
            return
        }
        if entries.count >= entriesMax || byteCount + answer.byteCount > bytesMax { removeAll() }
        slots[key] = entries.count
        entries.append(answer)
        byteCount += answer.byteCount
    }

    private mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        byteCount = 0
    }

    /// Hashes the case-folded name eight bytes at a time, with the type.
    static func key(name: UnsafeRawBufferPointer, type: DNSRecordType) -> Int {
        var hasher = Hasher()
        hasher.combine(type.rawValue)
        hasher.combine(name.count)
        var word: UInt64 = 0
        for (index, byte) in name.enumerated() {
            word = word << 8 | UInt64(DNSName.lowercased(byte))
            if index & 7 == 7 {
                hasher.combine(word)
                word = 0
            }
        }
        hasher.combine(word)
        return hasher.finalize()
    }

    /// `name` (any case) equals `folded` (already lowercased).
    static func equalFolded(_ name: UnsafeRawBufferPointer, _ folded: [UInt8]) -> Bool {
        guard name.count == folded.count else { return false }
        for index in folded.indices where DNSName.lowercased(name[index]) != folded[index] {
            return false
        }
        return true
    }
}
