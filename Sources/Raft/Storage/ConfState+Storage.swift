/// The on-disk form of `ConfState`, shared by WAL snapshot markers and snapshot files:
/// u32 voter count, u32 learner count, then each id as u64.
extension ConfState {
    /// Most member ids a stored `ConfState` may hold. It bounds what a corrupt count field
    /// can make a reader allocate; real clusters have a handful of voters (Raft §4).
    static let storedMembersMax = 4096

    var storedBytes: Int { 8 + 8 * (voters.count + learners.count) }

    func appendStored(to buffer: inout [UInt8]) {
        precondition(
            voters.count + learners.count <= ConfState.storedMembersMax,
            "a ConfState with more than \(ConfState.storedMembersMax) members")
        StorageBytes.append(UInt32(voters.count), to: &buffer)
        StorageBytes.append(UInt32(learners.count), to: &buffer)
        for id in voters { StorageBytes.append(id, to: &buffer) }
        for id in learners { StorageBytes.append(id, to: &buffer) }
    }

    /// Decodes at `offset`; returns the value and the bytes used, or nil if malformed.
    static func loadStored(from bytes: UnsafeRawBufferPointer, at offset: Int)
        -> (ConfState, Int)?
    {
        guard offset >= 0, bytes.count - offset >= 8 else { return nil }
        let voterCount = Int(StorageBytes.load(UInt32.self, from: bytes, at: offset))
        let learnerCount = Int(StorageBytes.load(UInt32.self, from: bytes, at: offset + 4))
        guard voterCount + learnerCount <= storedMembersMax else { return nil }
        let used = 8 + 8 * (voterCount + learnerCount)
        guard bytes.count - offset >= used else { return nil }
        var state = ConfState()
        var position = offset + 8
        for index in 0..<(voterCount + learnerCount) {
            let id = StorageBytes.load(UInt64.self, from: bytes, at: position)
            if index < voterCount { state.voters.append(id) } else { state.learners.append(id) }
            position += 8
        }
        return (state, used)
    }
}
