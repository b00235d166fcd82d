import Synchronization

/// Lease IDs for grants that leave the choice to the server, unique across members
/// without coordination, as etcd's `idutil.Generator` makes them: the member ID's low
/// 16 bits, then a 47-bit counter that starts at the wall clock's milliseconds shifted
/// left by 8 (so a restarted member does not repeat IDs it handed out before). The top
/// bit stays clear: lease IDs are positive int64s.
final class LeaseIDGenerator: Sendable {
    private let prefix: UInt64
    private let counter: Atomic<UInt64>

    private static let suffixBits: UInt64 = 47
    private static let suffixMask: UInt64 = (1 << suffixBits) - 1

    init(memberID: UInt64, wallClockMilliseconds: UInt64) {
        prefix = (memberID & 0xFFFF) << LeaseIDGenerator.suffixBits
        counter = Atomic((wallClockMilliseconds << 8) & LeaseIDGenerator.suffixMask)
    }

    func next() -> Int64 {
        while true {
            let suffix = counter.wrappingAdd(1, ordering: .relaxed).newValue
            let id = Int64(bitPattern: prefix | (suffix & LeaseIDGenerator.suffixMask))
            if id > 0 { return id }  // zero means "no lease"; skip it
        }
    }
}
