/// The history of one partition as a doubly linked list of call and return entries, ordered by
/// time, stored in index arrays (no per-node objects, no reference counting).
///
/// Linearizing an operation unlinks its call and return entries; backtracking relinks them in
/// reverse order. The unlinked node keeps its own `next`/`prev`, so relinking is O(1) as long as
/// undo is LIFO ("dancing links", Knuth), which the depth-first search guarantees. This is the
/// `lift`/`unlift` structure of Lowe §4 and Porcupine's `checker.go`.
///
/// Index 0 is the head sentinel and index `count + 1` the tail sentinel. An operation with an
/// unknown outcome has a call entry and no return entry: its return is at +infinity, after every
/// entry, and the search succeeds before it would ever reach one (see `PartitionSearch`).
struct EntryList {
    static let head = 0
    /// Marks a call entry without a return entry (unknown outcome).
    static let noReturn = -1

    private(set) var next: [Int]
    private(set) var prev: [Int]
    /// The partition-local operation index of each entry.
    private(set) var operationIndex: [Int]
    /// For a call entry, the index of its return entry or `noReturn`; for a return entry, nil.
    private(set) var returnEntry: [Int?]
    let tail: Int

    /// Builds the list from (call, return) times; `returnTimes[i] == nil` is an unknown outcome.
    init(callTimes: [UInt64], returnTimes: [UInt64?]) {
        precondition(callTimes.count == returnTimes.count, "one call and one return per operation")
        // (time, kind, operation): calls (kind 0) sort before returns (kind 1) at equal times,
        // so touching intervals count as concurrent (closed intervals, as in Porcupine).
        var events: [(time: UInt64, kind: Int, operation: Int)] = []
        events.reserveCapacity(callTimes.count * 2)
        for (operation, call) in callTimes.enumerated() {
            events.append((call, 0, operation))
            if let returned = returnTimes[operation] {
                precondition(returned >= call, "operation \(operation) returns before its call")
                events.append((returned, 1, operation))
            }
        }
        events.sort { ($0.time, $0.kind, $0.operation) < ($1.time, $1.kind, $1.operation) }
        let count = events.count
        tail = count + 1
        next = Array(1...(count + 1)) + [tail]
        prev = [Self.head] + Array(0...count)
        operationIndex = [-1] + events.map(\.operation) + [-1]
        returnEntry = Array(repeating: nil, count: count + 2)
        var callEntryOfOperation = Array(repeating: 0, count: callTimes.count)
        for (offset, event) in events.enumerated() {
            let entry = offset + 1
            if event.kind == 0 {
                callEntryOfOperation[event.operation] = entry
                returnEntry[entry] = Self.noReturn
            } else {
                returnEntry[callEntryOfOperation[event.operation]] = entry
            }
        }
    }

    var first: Int { next[Self.head] }

    func isCall(_ entry: Int) -> Bool { returnEntry[entry] != nil }

    /// Unlinks a call entry and its return entry (the operation is linearized).
    mutating func lift(_ callEntry: Int) {
        unlink(callEntry)
        if let match = returnEntry[callEntry], match != Self.noReturn { unlink(match) }
    }

    /// Relinks what `lift` unlinked; must undo the most recent `lift`.
    mutating func unlift(_ callEntry: Int) {
        if let match = returnEntry[callEntry], match != Self.noReturn { relink(match) }
        relink(callEntry)
    }

    private mutating func unlink(_ entry: Int) {
        next[prev[entry]] = next[entry]
        prev[next[entry]] = prev[entry]
    }

    private mutating func relink(_ entry: Int) {
        next[prev[entry]] = entry
        prev[next[entry]] = entry
    }
}
