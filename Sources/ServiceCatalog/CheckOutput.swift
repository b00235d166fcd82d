/// Bounds on check output, which ends up in the replicated catalog on every status change.
public enum CheckOutput {
    /// Consul's default `OutputMaxSize` and `checks.BufSize`: 4 KiB per check.
    public static let bytesMaxDefault = 4 * 1024
    /// The largest `OutputMaxSize` a check may ask for. Consul lets the operator raise it
    /// (`check_output_max_size`); Roost caps it at 64 KiB because every change of the output
    /// is a Raft write.
    public static let bytesMaxLimit = 64 * 1024

    /// Consul `CheckTTL.SetStatus`: an update longer than the bound keeps its first
    /// `bytesMax` bytes and says so (`… ... (captured 4096 of 5000 bytes)`). The cut backs off
    /// to a UTF-8 boundary so the output stays valid text.
    public static func boundedTTLOutput(_ output: String, bytesMax: Int) -> String {
        let bytes = Array(output.utf8)
        guard bytes.count > bytesMax else { return output }
        let kept = String(decoding: bytes[..<utf8Boundary(bytes, atMost: bytesMax)], as: UTF8.self)
        return "\(kept) ... (captured \(bytesMax) of \(bytes.count) bytes)"
    }

    /// Consul `CheckMonitor`: script output is kept in a circular buffer (the last bytes),
    /// prefixed with `Captured N of M bytes\n...\n` when some were dropped.
    public static func scriptOutput(tail: [UInt8], totalBytes: Int) -> String {
        let text = String(decoding: tail[utf8Start(tail)...], as: UTF8.self)
        guard totalBytes > tail.count else { return text }
        return "Captured \(tail.count) of \(totalBytes) bytes\n...\n\(text)"
    }

    /// The largest index ≤ `limit` that does not split a UTF-8 sequence.
    static func utf8Boundary(_ bytes: [UInt8], atMost limit: Int) -> Int {
        var end = min(limit, bytes.count)
        while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    /// The first index that does not start inside a UTF-8 sequence (a tail may begin mid-way).
    static func utf8Start(_ bytes: [UInt8]) -> Int {
        var start = 0
        while start < bytes.count, start < 3, bytes[start] & 0xC0 == 0x80 { start += 1 }
        return start
    }
}

/// Keeps the last `capacity` bytes written and counts all of them (Consul's `circbuf`).
struct TailBuffer {
    let capacity: Int
    private(set) var storage: [UInt8] = []
    private(set) var totalBytes = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a tail buffer needs room")
        self.capacity = capacity
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        totalBytes += bytes.count
        storage.append(contentsOf: bytes.suffix(capacity))
        // Trim lazily, at twice the capacity, so appends stay amortised O(1).
        if storage.count > 2 * capacity { storage.removeFirst(storage.count - capacity) }
    }

    var bytes: [UInt8] { Array(storage.suffix(capacity)) }
}
