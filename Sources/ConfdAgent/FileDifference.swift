/// One reason the destination is out of date (confd `util.IsConfigChanged`,
/// reference/confd.md §1.5: uid, gid, mode and contents are compared).
public enum FileDifference: Sendable, Equatable, CustomStringConvertible {
    case destinationMissing
    case content
    case mode(existing: UInt32, wanted: UInt32)
    case userID(existing: UInt32, wanted: UInt32)
    case groupID(existing: UInt32, wanted: UInt32)

    public var description: String {
        switch self {
        case .destinationMissing: "does not exist"
        case .content: "has different contents"
        case .mode(let existing, let wanted):
            "has mode 0\(String(existing, radix: 8)) should be 0\(String(wanted, radix: 8))"
        case .userID(let existing, let wanted): "has uid \(existing) should be \(wanted)"
        case .groupID(let existing, let wanted): "has gid \(existing) should be \(wanted)"
        }
    }

    /// Pure comparison of the staged file with the destination (nil: missing).
    public static func between(
        stage: FileFacts, destination: FileFacts?, contentsEqual: Bool
    ) -> [FileDifference] {
        guard let destination else { return [.destinationMissing] }
        var differences: [FileDifference] = []
        if destination.userID != stage.userID {
            differences.append(.userID(existing: destination.userID, wanted: stage.userID))
        }
        if destination.groupID != stage.groupID {
            differences.append(.groupID(existing: destination.groupID, wanted: stage.groupID))
        }
        if destination.mode != stage.mode {
            differences.append(.mode(existing: destination.mode, wanted: stage.mode))
        }
        if !contentsEqual { differences.append(.content) }
        return differences
    }
}
