import DiscoveryHTTP

/// A lease question forwarded from a follower to the leader, and its answer, carried in
/// the `context` of a Raft `.application` message. Fixed-size big-endian fields.
enum LeaseWire: Equatable {
    case request(number: UInt64, query: LeaseQuery)
    case answer(number: UInt64, outcome: Outcome)

    enum Outcome: Equatable {
        case status(LeaseStatus)
        case unknown
        /// The receiver does not lead (any more): the asker reports no leader.
        case notLeader
    }

    private enum Tag: UInt8 {
        case renew = 1, timeToLive = 2, status = 3, unknown = 4, notLeader = 5
    }

    func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(33)
        switch self {
        case .request(let number, let query):
            switch query {
            case .renew: bytes.append(Tag.renew.rawValue)
            case .timeToLive: bytes.append(Tag.timeToLive.rawValue)
            }
            BigEndian.append(number, to: &bytes)
            BigEndian.append(UInt64(bitPattern: query.leaseID), to: &bytes)
        case .answer(let number, let outcome):
            switch outcome {
            case .status(let status):
                bytes.append(Tag.status.rawValue)
                BigEndian.append(number, to: &bytes)
                BigEndian.append(UInt64(bitPattern: status.remainingSeconds), to: &bytes)
                BigEndian.append(UInt64(bitPattern: status.grantedSeconds), to: &bytes)
            case .unknown:
                bytes.append(Tag.unknown.rawValue)
                BigEndian.append(number, to: &bytes)
            case .notLeader:
                bytes.append(Tag.notLeader.rawValue)
                BigEndian.append(number, to: &bytes)
            }
        }
        return bytes
    }

    /// Nil for bytes that are not a lease message (a newer peer's format): dropped.
    static func decode(_ bytes: [UInt8]) -> LeaseWire? {
        guard bytes.count >= 9, let tag = Tag(rawValue: bytes[0]) else { return nil }
        let number = BigEndian.read(bytes, at: 1)
        switch tag {
        case .renew, .timeToLive:
            guard bytes.count == 17 else { return nil }
            let id = Int64(bitPattern: BigEndian.read(bytes, at: 9))
            return .request(number: number, query: tag == .renew ? .renew(id) : .timeToLive(id))
        case .status:
            guard bytes.count == 25 else { return nil }
            let status = LeaseStatus(
                remainingSeconds: Int64(bitPattern: BigEndian.read(bytes, at: 9)),
                grantedSeconds: Int64(bitPattern: BigEndian.read(bytes, at: 17)))
            return .answer(number: number, outcome: .status(status))
        case .unknown:
            return bytes.count == 9 ? .answer(number: number, outcome: .unknown) : nil
        case .notLeader:
            return bytes.count == 9 ? .answer(number: number, outcome: .notLeader) : nil
        }
    }
}
