/// A bounded FIFO of encoded frames waiting for one peer stream, bounded by count and by
/// payload bytes. A full queue refuses (the caller counts a drop): Raft retransmits what
/// is lost (MsgApp on the next heartbeat response, votes on the next election timeout),
/// whereas blocking the Raft driver would stall every peer for one slow one.
struct PeerOutboundQueue: Sendable {
    let messagesMax: Int
    let bytesMax: Int

    private var frames: [[UInt8]] = []
    private var head = 0
    /// Payload bytes queued (frame headers excluded, so `bytesMax >= frameBytesMax` means
    /// any one legal frame fits an empty queue).
    private(set) var payloadBytes = 0

    init(messagesMax: Int, bytesMax: Int) {
        precondition(messagesMax > 0 && bytesMax > 0, "queue limits must be positive")
        self.messagesMax = messagesMax
        self.bytesMax = bytesMax
    }

    var count: Int { frames.count - head }
    var isEmpty: Bool { head == frames.count }

    /// Appends `frame`; false (and nothing changes) when it would exceed either bound.
    mutating func push(_ frame: [UInt8]) -> Bool {
        let payload = frame.count - PeerFrame.headerBytes
        guard count < messagesMax, payload <= bytesMax - payloadBytes else { return false }
        frames.append(frame)
        payloadBytes += payload
        return true
    }

    /// Removes and returns the oldest frame.
    mutating func pop() -> [UInt8]? {
        guard head < frames.count else { return nil }
        let frame = frames[head]
        frames[head] = []
        head += 1
        payloadBytes -= frame.count - PeerFrame.headerBytes
        // Reclaim the consumed prefix when it outweighs the rest: amortized O(1) per pop.
        if head == frames.count {
            frames.removeAll(keepingCapacity: frames.capacity <= 1024)
            head = 0
        } else if head >= 64 && head * 2 >= frames.count {
            frames.removeFirst(head)
            head = 0
        }
        return frame
    }

    /// Empties the queue; returns how many frames were dropped.
    mutating func removeAll() -> Int {
        let dropped = count
        frames.removeAll()
        head = 0
        payloadBytes = 0
        return dropped
    }
}
