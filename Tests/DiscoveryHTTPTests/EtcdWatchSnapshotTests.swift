import DiscoveryHTTP
import KVStore
import Platform
import Testing

/// An etcd watch stream on a member that installs its leader's snapshot (reference/etcd.md
/// §1.6): skipped revisions arrive in order, or the watcher is canceled with
/// `compact_revision` when the snapshot's compaction passed its position.
@Suite("etcd v3 watch across a snapshot install")
struct EtcdWatchSnapshotTests {
    static func put(_ key: String, _ value: String) -> KVCommand {
        .put(PutRequest(key: Array(key.utf8), value: Array(value.utf8)))
    }

    @Test(
        "a watch whose history a snapshot's compaction passed is canceled with compact_revision over HTTP; the stream's other watchers go on"
    )
    func compactedHistoryCancels() throws {
        let server = try TestServer()
        defer { server.stop() }
        let connection = try RawConnection(server.address)
        try connection.send(
            "POST /v3/watch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        try connection.sendChunk(#"{"create_request":{"key":"\#(b64("a"))"}}"#)
        try connection.read { $0.contains(#""created":true"#) }
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("a"))","value":"\#(b64("1"))"}"#)
        try connection.read { $0.contains(b64("1")) }
        // The leader went on, then compacted past what this member had, and sent its image.
        var leader = server.keySpace.storeCopy()
        _ = leader.apply(Self.put("a", "2"))
        _ = leader.apply(Self.put("a", "3"))
        _ = leader.apply(.compact(revision: leader.revision))
        server.keySpace.replaceStore(leader)
        try connection.read { $0.contains(#""canceled":true"#) }
        #expect(connection.text.contains(#""compact_revision":"\#(leader.compactRevision)""#))
        #expect(!connection.text.contains(b64("2")))
        // The stream stays open: a new watcher on it sees later writes.
        try connection.sendChunk(#"{"create_request":{"key":"\#(b64("b"))"}}"#)
        try connection.read { $0.components(separatedBy: #""created":true"#).count == 3 }
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("b"))","value":"\#(b64("4"))"}"#)
        try connection.read { $0.contains(b64("4")) }
    }
}
