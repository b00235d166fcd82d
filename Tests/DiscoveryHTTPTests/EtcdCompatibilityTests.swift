import DiscoveryHTTP
import Platform
import Testing

/// Shapes found while running the etcd3gw compatibility script
/// (Tests/Compatibility/etcd3gw_compat.py) and comparing with etcd's code paths:
/// `v3rpc/watch.go` `recvLoop`, mvcc `watchStream.Watch`, `EtcdServer.Compact`.
@Suite("etcd v3 gateway compatibility details")
struct EtcdCompatibilityTests {
    static let header = #""header":{"cluster_id":"193","member_id":"161","revision":"1","raft_term":"2"}"#

    static func refused(_ reason: String) -> String {
        #"{"result":{\#(header),"watch_id":"-1","created":true,"canceled":true,"#
            + #""cancel_reason":"\#(reason)"}}"# + "\n"
    }

    static let created = #"{"result":{\#(header),"created":true}}"# + "\n"

    @Test("a compaction answers with the store's current revision, not the target (EtcdServer.Compact)")
    func compactionHeaderRevision() throws {
        let server = try TestServer()
        defer { server.stop() }
        for value in ["1", "2", "3"] {
            _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"\#(b64(value))"}"#)
        }
        let compact = try server.post("/v3/kv/compaction", #"{"revision":"3"}"#)
        #expect(compact.status == 200)
        #expect(compact.body == #"{"header":{"cluster_id":"193","member_id":"161","revision":"4","#
            + #""raft_term":"2"}}"#)
    }

    @Test("a negative start_revision is refused with watch_id -1, created and canceled; the stream goes on")
    func negativeStartRevision() throws {
        let server = try TestServer()
        defer { server.stop() }
        let body = #"{"create_request":{"key":"Zm9v","start_revision":"-1"}}"#
            + #"{"create_request":{"key":"Zm9v"}}"#
        let chunks = try EtcdWatchTests.chunks(server, body, count: 2)
        #expect(chunks == [
            Self.refused("etcdserver: mvcc: required revision has been compacted"), Self.created,
        ])
    }

    @Test("a duplicate watch_id is refused on its own; the stream and the first watcher live on")
    func duplicateWatchID() throws {
        let server = try TestServer()
        defer { server.stop() }
        let body = #"{"create_request":{"key":"Zm9v","watch_id":"7"}}"#
            + #"{"create_request":{"key":"YmFy","watch_id":"7"}}"#
            + #"{"create_request":{"key":"YmF6"}}"#
        let chunks = try EtcdWatchTests.chunks(server, body, count: 3)
        #expect(chunks == [
            #"{"result":{\#(Self.header),"watch_id":"7","created":true}}"# + "\n",
            Self.refused("mvcc: duplicate watch ID provided on the WatchStream"),
            Self.created,
        ])
    }

    @Test("a range_end at or below the key is refused as an empty range; \"\\0\" is not (mvcc Watch)")
    func emptyWatchRange() throws {
        let server = try TestServer()
        defer { server.stop() }
        let body = #"{"create_request":{"key":"\#(b64("b"))","range_end":"\#(b64("a"))"}}"#
            + #"{"create_request":{"key":"\#(b64("b"))","range_end":"\#(b64("b"))"}}"#
            + #"{"create_request":{"key":"\#(b64("b"))","range_end":"AA=="}}"#
        let chunks = try EtcdWatchTests.chunks(server, body, count: 3)
        #expect(chunks == [
            Self.refused("mvcc: watcher range is empty"),
            Self.refused("mvcc: watcher range is empty"),
            Self.created,
        ])
    }

    @Test("a compaction cancel's header has no revision (mvcc sends it with revision 0)")
    func compactedCancelHeader() throws {
        let server = try TestServer()
        defer { server.stop() }
        for value in ["1", "2", "3"] {
            _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"\#(b64(value))"}"#)
        }
        _ = try server.post("/v3/kv/compaction", #"{"revision":"3"}"#)
        let body = #"{"create_request":{"key":"Zm9v","start_revision":"2"}}"#
        let chunks = try EtcdWatchTests.chunks(server, body, count: 2)
        #expect(chunks.count == 2)
        #expect(chunks.last == #"{"result":{"header":{"cluster_id":"193","member_id":"161","#
            + #""raft_term":"2"},"canceled":true,"compact_revision":"3"}}"# + "\n")
    }
}
