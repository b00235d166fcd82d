import KVStore
import Platform

/// What a Raft snapshot of a Roost member holds: the member table and the key space, both
/// as of the snapshot's index. The table must travel with the key space: a member that
/// catches up from a snapshot skips the configuration changes and attribute updates
/// inside it, and would otherwise keep a member list from before them.
///
///     "RSRV" version(1) tableBytes(4, big-endian) table crc32c(table, 4) storeImage
///
/// An image that starts with the key space's own magic is the older format with no
/// table (written before the table travelled); it still decodes, with no table.
enum ServerSnapshotImage {
    static let magic: [UInt8] = Array("RSRV".utf8)
    static let version: UInt8 = 1
    static let headerBytes = 4 + 1 + 4

    static func encode(members: MemberTable, store: MVCCStore) -> [UInt8] {
        let table = MemberTableCodec.encode(members)
        var header: [UInt8] = []
        header.reserveCapacity(headerBytes + table.count + 4)
        header.append(contentsOf: magic)
        header.append(version)
        BigEndian.append(UInt32(table.count), to: &header)
        header.append(contentsOf: table)
        BigEndian.append(CRC32C.checksum(table), to: &header)
        // The store writes its image after the header, in the one buffer.
        return store.encodeSnapshot(after: header)
    }

    /// The table (nil in an image of the older format) and the key space.
    static func decode(_ bytes: [UInt8]) throws(ServerError) -> (MemberTable?, MVCCStore) {
        guard bytes.starts(with: magic) else { return (nil, try decodeStore(bytes)) }
        guard bytes.count >= headerBytes else { throw .recovery("snapshot image: truncated") }
        guard bytes[4] == version else {
            throw .recovery("snapshot image: unsupported version \(bytes[4])")
        }
        let tableCount = Int(BigEndian.readUInt32(bytes, at: 5))
        let tableEnd = headerBytes + tableCount
        guard tableCount <= bytes.count - headerBytes - 4 else {
            throw .recovery("snapshot image: truncated member table")
        }
        let table = Array(bytes[headerBytes..<tableEnd])
        guard BigEndian.readUInt32(bytes, at: tableEnd) == CRC32C.checksum(table) else {
            throw .recovery("snapshot image: the member table fails its checksum")
        }
        let members: MemberTable
        do {
            members = try MemberTableCodec.decode(table)
        } catch {
            throw .recovery("snapshot image: \(error)")
        }
        return (members, try decodeStore(Array(bytes[(tableEnd + 4)...])))
    }

    private static func decodeStore(_ bytes: [UInt8]) throws(ServerError) -> MVCCStore {
        do {
            return try MVCCStore.decodeSnapshot(bytes)
        } catch {
            throw .recovery("snapshot image: the key space does not decode: \(error)")
        }
    }
}
