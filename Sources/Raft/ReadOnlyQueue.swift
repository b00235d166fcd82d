/// ReadIndex requests waiting for a heartbeat quorum (thesis §6.4 step 3), in arrival
/// order. A quorum acknowledging a later request confirms every earlier one too: those
/// were recorded before the same round of heartbeats went out.
struct ReadOnlyQueue: Sendable {
    struct Request: Sendable {
        var context: [UInt8]
        /// The leader's commit index when the request arrived (step 2).
        var index: UInt64
        /// Who asked: this node, or a follower that forwarded the read.
        var requester: UInt64
        var acks: [UInt64]
    }

    private(set) var requests: [Request] = []

    var count: Int { requests.count }

    func contains(_ context: [UInt8]) -> Bool {
        requests.contains { $0.context == context }
    }

    var lastContext: [UInt8]? { requests.last?.context }

    mutating func add(index: UInt64, requester: UInt64, context: [UInt8]) {
        requests.append(Request(context: context, index: index, requester: requester, acks: []))
    }

    /// Records `from`'s acknowledgement of the round for `context`; returns the acks so far.
    mutating func recordAck(from id: UInt64, context: [UInt8]) -> [UInt64]? {
        guard let slot = requests.firstIndex(where: { $0.context == context }) else {
            return nil
        }
        if !requests[slot].acks.contains(id) { requests[slot].acks.append(id) }
        return requests[slot].acks
    }

    /// Removes and returns every request up to and including the one for `context`.
    mutating func release(through context: [UInt8]) -> ArraySlice<Request> {
        guard let slot = requests.firstIndex(where: { $0.context == context }) else {
            return []
        }
        let released = requests[...slot]
        requests.removeFirst(slot + 1)
        return released
    }

    mutating func reset() { requests.removeAll() }
}
