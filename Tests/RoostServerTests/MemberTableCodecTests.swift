import KVStore
import Raft
import Testing

@testable import RoostServer

@Suite("member table in snapshots and member commands")
struct MemberTableCodecTests {
    static let table = MemberTable([
        MemberTable.Member(
            id: 0x1A, name: "n1", peerURL: "http://127.0.0.1:2380", isLearner: false,
            clientURLs: ["http://127.0.0.1:2379"]),
        MemberTable.Member(
            id: 0x2B, name: "", peerURL: "http://127.0.0.1:2381", isLearner: true),
    ])

    @Test("a member table survives the snapshot encoding, learners and client URLs included")
    func tableRoundTrip() throws {
        let decoded = try MemberTableCodec.decode(MemberTableCodec.encode(Self.table))
        #expect(decoded == Self.table)
    }

    @Test("every truncation of an encoded table is an error, never a trap")
    func tableTruncated() {
        let bytes = MemberTableCodec.encode(Self.table)
        for cut in 0..<bytes.count {
            #expect(throws: MemberTableCodec.Error.self) {
                try MemberTableCodec.decode(Array(bytes[0..<cut]))
            }
        }
        #expect(throws: MemberTableCodec.Error.self) {
            try MemberTableCodec.decode(bytes + [0])
        }
    }

    @Test("strings of stringBytesMax bytes decode and one more byte is refused")
    func stringLimit() throws {
        var writer = MemberTableCodec.Writer()
        writer.string(String(repeating: "a", count: MemberTableCodec.stringBytesMax))
        var reader = MemberTableCodec.Reader(writer.bytes)
        #expect(try reader.string().utf8.count == MemberTableCodec.stringBytesMax)
        let over = MemberTableCodec.stringBytesMax + 1
        var tooLong: [UInt8] = [UInt8(over >> 8), UInt8(over & 0xFF)]
        tooLong += Array(repeating: UInt8(ascii: "a"), count: over)
        var overReader = MemberTableCodec.Reader(tooLong)
        #expect(throws: MemberTableCodec.Error.self) { try overReader.string() }
    }

    @Test("clientURLsMax client URLs decode and one more is refused")
    func clientURLLimit() throws {
        let urls = (0..<MemberTableCodec.clientURLsMax).map { "http://127.0.0.1:\($0)" }
        var writer = MemberTableCodec.Writer()
        writer.strings(urls)
        var reader = MemberTableCodec.Reader(writer.bytes)
        #expect(try reader.strings() == urls)
        var overReader = MemberTableCodec.Reader([UInt8(MemberTableCodec.clientURLsMax + 1)])
        #expect(throws: MemberTableCodec.Error.self) { try overReader.strings() }
    }

    @Test("member commands round-trip and never look like a key-space command")
    func commandRoundTrip() throws {
        let commands: [MemberCommand] = [
            .attributes(memberID: 7, name: "n7", clientURLs: ["http://10.0.0.7:2379"]),
            .attributes(memberID: 8, name: "", clientURLs: []),
            .peerURL(memberID: 9, url: "http://10.0.0.9:2380"),
        ]
        for command in commands {
            let bytes = command.encode()
            #expect(MemberCommand.isMemberCommand(bytes))
            #expect(try MemberCommand.decode(bytes) == command)
            for cut in 0..<bytes.count {
                #expect(throws: MemberTableCodec.Error.self) {
                    try MemberCommand.decode(Array(bytes[0..<cut]))
                }
            }
        }
        let put = KVCommand.put(PutRequest(key: Array("k".utf8), value: []))
        #expect(!MemberCommand.isMemberCommand(put.encode()))
    }

    @Test(
        "attribute and peer URL commands set values, ignore non-members, and replay to the same table"
    )
    func applyCommands() {
        var table = Self.table
        let commands: [MemberCommand] = [
            .attributes(memberID: 0x2B, name: "n2", clientURLs: ["http://127.0.0.1:2479"]),
            .peerURL(memberID: 0x1A, url: "http://127.0.0.1:3380"),
            .peerURL(memberID: 0x99, url: "http://127.0.0.1:4380"),
        ]
        let results = commands.map { table.apply($0) }
        #expect(results[0]?.name == "n2")
        #expect(results[0]?.isLearner == true)
        #expect(results[1]?.peerURL == "http://127.0.0.1:3380")
        #expect(results[1]?.clientURLs == ["http://127.0.0.1:2379"])
        #expect(results[2] == nil)
        #expect(table.members.count == 2)
        var replayed = table
        for command in commands { _ = replayed.apply(command) }
        #expect(replayed == table)
    }

    @Test("a promotion keeps the member's name and client URLs")
    func promotionKeepsAttributes() {
        var table = Self.table
        _ = table.apply(.attributes(memberID: 0x2B, name: "n2", clientURLs: ["http://h:1"]))
        let promoted = table.apply(
            ConfChange(kind: .addVoter, nodeID: 0x2B, context: Array("http://127.0.0.1:2381".utf8)))
        #expect(promoted?.isLearner == false)
        #expect(promoted?.name == "n2")
        #expect(promoted?.clientURLs == ["http://h:1"])
    }

    @Test("a snapshot image carries the member table with the key space")
    func imageRoundTrip() throws {
        var store = MVCCStore()
        _ = store.apply(.put(PutRequest(key: Array("k".utf8), value: Array("v".utf8))))
        let bytes = ServerSnapshotImage.encode(members: Self.table, store: store)
        let (table, decoded) = try ServerSnapshotImage.decode(bytes)
        #expect(table == Self.table)
        #expect(decoded.encodeSnapshot() == store.encodeSnapshot())
    }

    @Test("an image of the older format (the key space alone) decodes with no table")
    func legacyImage() throws {
        var store = MVCCStore()
        _ = store.apply(.put(PutRequest(key: Array("k".utf8), value: Array("v".utf8))))
        let (table, decoded) = try ServerSnapshotImage.decode(store.encodeSnapshot())
        #expect(table == nil)
        #expect(decoded.revision == store.revision)
    }

    @Test("a damaged member table in an image fails its checksum")
    func damagedImage() {
        var bytes = ServerSnapshotImage.encode(members: Self.table, store: MVCCStore())
        bytes[ServerSnapshotImage.headerBytes + 3] ^= 0x01
        #expect(throws: ServerError.self) { try ServerSnapshotImage.decode(bytes) }
        let truncated = Array(bytes[0..<(ServerSnapshotImage.headerBytes + 2)])
        #expect(throws: ServerError.self) { try ServerSnapshotImage.decode(truncated) }
    }

    @Test("member names with spaces, empty names and names over the limit are refused")
    func names() {
        #expect(ClusterConfiguration.validName("n1") == "n1")
        #expect(ClusterConfiguration.validName("") == nil)
        #expect(ClusterConfiguration.validName("a b") == nil)
        let longest = String(repeating: "n", count: MemberTableCodec.stringBytesMax)
        #expect(ClusterConfiguration.validName(longest) == longest)
        #expect(ClusterConfiguration.validName(longest + "n") == nil)
    }
}
