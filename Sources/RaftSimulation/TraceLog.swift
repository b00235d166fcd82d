/// The last `capacity` events of a run, plus a digest of every event: two runs of one seed
/// must produce the same digest (the determinism check), and the kept events are what a
/// violation prints.
struct TraceLog {
    let capacity: Int
    private var ring: [TraceEvent] = []
    private var nextSlot = 0
    /// FNV-1a (64-bit) over the formatted events; cheap enough because a run formats each
    /// event once.
    private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var eventCount = 0
    /// Receives every event as it happens (the `--trace` option), or nil.
    let sink: (@Sendable (TraceEvent) -> Void)?
    /// Formatting every event costs time in debug builds; the digest is opt-in.
    let digests: Bool

    init(capacity: Int, digests: Bool, sink: (@Sendable (TraceEvent) -> Void)?) {
        precondition(capacity > 0 && capacity <= SimulationLimits.traceEventsMax,
                     "trace capacity out of range")
        self.capacity = capacity
        self.sink = sink
        self.digests = digests
        ring.reserveCapacity(capacity)
    }

    mutating func record(_ event: TraceEvent) {
        eventCount += 1
        if digests { mix(event.description) }
        sink?(event)
        if ring.count < capacity {
            ring.append(event)
        } else {
            ring[nextSlot] = event
        }
        nextSlot = (nextSlot + 1) % capacity
    }

    private mutating func mix(_ line: String) {
        for byte in line.utf8 {
            digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        digest = (digest ^ 0x0a) &* 0x0000_0100_0000_01b3
    }

    /// The kept events, oldest first.
    var lastEvents: [TraceEvent] {
        guard ring.count == capacity else { return ring }
        return Array(ring[nextSlot...] + ring[..<nextSlot])
    }
}
