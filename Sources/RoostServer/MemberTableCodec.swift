import Raft

/// The binary form of the member table inside a snapshot image, and the primitives
/// `MemberCommand` shares with it: big-endian fixed integers and strings prefixed by a
/// 2-byte length. Every read is bounds-checked, so a damaged image is an error, never a
/// trap.
///
///     count(2) (id(8) flags(1) name peerURL clientURLCount(1) clientURL*)*
enum MemberTableCodec {
    /// Longest name or URL kept: a host name is at most 253 bytes, so this leaves room
    /// for any real URL while bounding what one entry can make every member store.
    static let stringBytesMax = 1_024
    /// Client URLs per member (etcd members list one per listener; a handful in practice).
    static let clientURLsMax = 16

    enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case malformed(String)

        var description: String {
            switch self {
            case .malformed(let reason): return "member table: \(reason)"
            }
        }
    }

    static func encode(_ table: MemberTable) -> [UInt8] {
        var writer = Writer()
        let members = table.sorted
        writer.uint16(UInt16(clamping: members.count))
        for member in members.prefix(Int(UInt16.max)) {
            writer.uint64(member.id)
            writer.bytes.append(member.isLearner ? 1 : 0)
            writer.string(member.name)
            writer.string(member.peerURL)
            writer.strings(member.clientURLs)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(Error) -> MemberTable {
        var reader = Reader(bytes)
        let count = Int(try reader.uint16())
        guard count <= RaftLimits.membersMax else {
            throw .malformed("\(count) members, more than \(RaftLimits.membersMax)")
        }
        var members: [MemberTable.Member] = []
        for _ in 0..<count {
            let id = try reader.uint64()
            let flags = try reader.byte()
            guard flags <= 1 else { throw .malformed("unknown member flags \(flags)") }
            let name = try reader.string()
            let peerURL = try reader.string()
            members.append(
                MemberTable.Member(
                    id: id, name: name, peerURL: peerURL, isLearner: flags == 1,
                    clientURLs: try reader.strings()))
        }
        guard reader.isAtEnd else { throw .malformed("trailing bytes") }
        return MemberTable(members)
    }

    struct Writer {
        var bytes: [UInt8] = []

        mutating func uint16(_ value: UInt16) {
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value))
        }

        mutating func uint64(_ value: UInt64) {
            BigEndian.append(value, to: &bytes)
        }

        /// Names and URLs come from validated flags and requests; one longer than the
        /// limit here is a bug upstream.
        mutating func string(_ value: String) {
            let utf8 = Array(value.utf8)
            precondition(utf8.count <= stringBytesMax, "member string over \(stringBytesMax) bytes")
            uint16(UInt16(utf8.count))
            bytes.append(contentsOf: utf8)
        }

        mutating func strings(_ values: [String]) {
            precondition(values.count <= clientURLsMax, "more than \(clientURLsMax) client URLs")
            bytes.append(UInt8(values.count))
            for value in values { string(value) }
        }
    }

    struct Reader {
        let bytes: [UInt8]
        private(set) var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) throws(Error) -> ArraySlice<UInt8> {
            guard count <= bytes.count - offset else { throw .malformed("truncated") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func byte() throws(Error) -> UInt8 {
            try take(1).first ?? 0
        }

        mutating func uint16() throws(Error) -> UInt16 {
            let slice = try take(2)
            return UInt16(slice[slice.startIndex]) << 8 | UInt16(slice[slice.startIndex + 1])
        }

        mutating func uint64() throws(Error) -> UInt64 {
            let start = offset
            _ = try take(8)
            return BigEndian.read(bytes, at: start)
        }

        mutating func string() throws(Error) -> String {
            let count = Int(try uint16())
            guard count <= stringBytesMax else {
                throw .malformed("a string of \(count) bytes, more than \(stringBytesMax)")
            }
            return String(decoding: try take(count), as: UTF8.self)
        }

        mutating func strings() throws(Error) -> [String] {
            let count = Int(try byte())
            guard count <= clientURLsMax else {
                throw .malformed("\(count) client URLs, more than \(clientURLsMax)")
            }
            var values: [String] = []
            for _ in 0..<count { values.append(try string()) }
            return values
        }
    }
}
