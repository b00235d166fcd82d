/// The MsgApps sent to one follower and not yet acknowledged, as a bounded ring buffer of
/// (last index, bytes) (etcd `tracker/inflights.go`). Full means "stop pipelining".
struct Inflights: Sendable {
    private var lastIndexes: [UInt64] = []
    private var sizesBytes: [UInt64] = []
    private var start = 0
    private(set) var count = 0
    private(set) var bytes: UInt64 = 0
    /// Messages allowed in flight (`RaftConfig.maxInflightMsgs`).
    let capacity: Int
    /// Entry bytes allowed in flight (`RaftConfig.maxInflightBytes`).
    let bytesMax: UInt64

    init(capacity: Int, bytesMax: UInt64) {
        precondition(capacity > 0 && bytesMax > 0, "inflight limits must be positive")
        self.capacity = capacity
        self.bytesMax = bytesMax
    }

    var isFull: Bool { count == capacity || bytes >= bytesMax }

    /// Records a MsgApp whose last entry is `index`. The caller checked `isFull` first.
    mutating func add(index: UInt64, bytes messageBytes: UInt64) {
        precondition(!isFull, "cannot add into a full inflights window")
        let slot = (start + count) % capacity
        if slot == lastIndexes.count {
            // Grow lazily up to `capacity`: idle followers cost no memory.
            lastIndexes.append(index)
            sizesBytes.append(messageBytes)
        } else {
            lastIndexes[slot] = index
            sizesBytes[slot] = messageBytes
        }
        count += 1
        bytes += messageBytes
    }

    /// Frees every message whose last index is <= `index` (the follower acknowledged it).
    mutating func freeLE(_ index: UInt64) {
        while count > 0 && lastIndexes[start] <= index {
            bytes -= sizesBytes[start]
            start = (start + 1) % capacity
            count -= 1
        }
        if count == 0 { start = 0 }
    }

    /// Frees the oldest message, whatever its index.
    mutating func freeFirstOne() {
        guard count > 0 else { return }
        freeLE(lastIndexes[start])
    }

    mutating func reset() {
        start = 0
        count = 0
        bytes = 0
    }
}
