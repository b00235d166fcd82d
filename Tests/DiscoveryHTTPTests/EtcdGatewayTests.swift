import DiscoveryHTTP
import Platform
import Testing

/// The etcd v3 JSON gateway's wire format, checked against the shapes etcd documents
/// (api_grpc_gateway.md) and grpc-gateway's jsonpb rules (reference/etcd.md §1.2).
@Suite("etcd v3 gateway")
struct EtcdGatewayTests {
    let header = #"{"cluster_id":"193","member_id":"161","revision":"2","raft_term":"2"}"#

    @Test("a put answers with only the header, int64 fields as strings (etcd api_grpc_gateway.md)")
    func putShape() throws {
        let server = try TestServer()
        defer { server.stop() }
        let put = try server.post("/v3/kv/put", #"{"key":"\#(b64("foo"))","value":"\#(b64("bar"))"}"#)
        #expect(put.status == 200)
        #expect(put.body == #"{"header":\#(header)}"#)
    }

    @Test("a range returns kvs with base64 bytes and count, zero fields omitted (jsonpb EmitDefaults=false)")
    func rangeShape() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"YmFy"}"#)
        let range = try server.post("/v3/kv/range", #"{"key":"Zm9v","range_end":"Zm9w"}"#)
        #expect(range.status == 200)
        #expect(range.body == #"{"header":\#(header),"kvs":[{"key":"Zm9v","create_revision":"2","#
            + #""mod_revision":"2","version":"1","value":"YmFy"}],"count":"1"}"#)
    }

    @Test("a range that matches nothing has no kvs and no count, only the header")
    func rangeMiss() throws {
        let server = try TestServer()
        defer { server.stop() }
        let range = try server.post("/v3/kv/range", #"{"key":"\#(b64("nothing"))"}"#)
        #expect(range.body == #"{"header":{"cluster_id":"193","member_id":"161","revision":"1","raft_term":"2"}}"#)
    }

    @Test("an empty key is InvalidArgument: HTTP 400 with etcd's error body")
    func emptyKey() throws {
        let server = try TestServer()
        defer { server.stop() }
        let range = try server.post("/v3/kv/range", "{}")
        #expect(range.status == 400)
        #expect(range.body == #"{"error":"etcdserver: key is not provided","code":3,"#
            + #""message":"etcdserver: key is not provided"}"#)
    }

    @Test("input accepts lowerCamelCase names, int64 as numbers, and enums by number")
    func lenientInput() throws {
        let server = try TestServer()
        defer { server.stop() }
        for key in ["a", "b", "c"] {
            _ = try server.post("/v3/kv/put", #"{"key":"\#(b64(key))","value":"\#(b64(key))"}"#)
        }
        let range = try server.post(
            "/v3/kv/range",
            #"{"key":"\#(b64("a"))","rangeEnd":"\#(b64("d"))","limit":2,"sort_order":2,"keysOnly":true}"#)
        #expect(range.status == 200)
        #expect(range.body.contains(#""kvs":[{"key":"\#(b64("c"))""#))
        #expect(range.body.contains(#""more":true"#))
        #expect(range.body.contains(#""count":"3""#))
        #expect(!range.body.contains(#""value""#))
    }

    @Test("unknown JSON fields are ignored (allowUnknownFields)")
    func unknownFields() throws {
        let server = try TestServer()
        defer { server.stop() }
        let put = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"YmFy","surprise":{"x":[1,2]}}"#)
        #expect(put.status == 200)
    }

    @Test("malformed JSON is InvalidArgument (400, code 3)")
    func malformedJSON() throws {
        let server = try TestServer()
        defer { server.stop() }
        let put = try server.post("/v3/kv/put", #"{"key":"#)
        #expect(put.status == 400)
        #expect(put.body.contains(#""code":3"#))
    }

    @Test("a txn that takes the failure branch has no succeeded key (etcd txn doc)")
    func txnFailureShape() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"YmFy"}"#)
        let create = #"{"compare":[{"key":"Zm9v","result":"EQUAL","target":"CREATE","create_revision":0}],"#
            + #""success":[{"request_put":{"key":"Zm9v","value":"bmV3"}}],"#
            + #""failure":[{"request_range":{"key":"Zm9v"}}]}"#
        let txn = try server.post("/v3/kv/txn", create)
        #expect(txn.status == 200)
        #expect(!txn.body.contains("succeeded"))
        #expect(txn.body.contains(#""responses":[{"response_range":{"header":{"revision":"2"},"kvs":"#))
    }

    @Test("a txn whose compares hold runs success ops and says succeeded (camelCase input, doc example)")
    func txnSuccessShape() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"YmFy"}"#)
        let txn = try server.post(
            "/v3/kv/txn",
            #"{"compare":[{"target":"CREATE","key":"Zm9v","createRevision":"2"}],"#
                + #""success":[{"requestPut":{"key":"Zm9v","value":"YmFy"}}]}"#)
        #expect(txn.body == #"{"header":{"cluster_id":"193","member_id":"161","revision":"3","raft_term":"2"},"#
            + #""succeeded":true,"responses":[{"response_put":{"header":{"revision":"3"}}}]}"#)
    }

    @Test("deleting nothing answers without a deleted field")
    func deleteNothing() throws {
        let server = try TestServer()
        defer { server.stop() }
        let delete = try server.post("/v3/kv/deleterange", #"{"key":"\#(b64("ghost"))"}"#)
        #expect(delete.body == #"{"header":{"cluster_id":"193","member_id":"161","revision":"1","raft_term":"2"}}"#)
    }

    @Test("reading below the compaction revision is OutOfRange (400, code 11) with etcd's message")
    func compactedRead() throws {
        let server = try TestServer()
        defer { server.stop() }
        for value in ["1", "2", "3"] {
            _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"\#(b64(value))"}"#)
        }
        let compact = try server.post("/v3/kv/compaction", #"{"revision":"3"}"#)
        #expect(compact.status == 200)
        let old = try server.post("/v3/kv/range", #"{"key":"Zm9v","revision":"2"}"#)
        #expect(old.status == 400)
        #expect(old.body.contains("etcdserver: mvcc: required revision has been compacted"))
        #expect(old.body.contains(#""code":11"#))
        let atCompaction = try server.post("/v3/kv/range", #"{"key":"Zm9v","revision":"3"}"#)
        #expect(atCompaction.status == 200)
    }

    @Test("/v3beta/ is served as /v3/ (etcd 3.4/3.5 rewrite)")
    func betaAlias() throws {
        let server = try TestServer()
        defer { server.stop() }
        let put = try server.post("/v3beta/kv/put", #"{"key":"Zm9v","value":"YmFy"}"#)
        #expect(put.status == 200)
    }

    @Test("GET on a gateway route is 405; an unknown path is 404 (grpc-gateway mux)")
    func methodAndPath() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = server.client()
        #expect(try client.send(.get, "/v3/kv/range").status == 405)
        #expect(try client.send(.post, "/v3/nope").status == 404)
        #expect(try client.send(.get, "/nope").status == 404)
    }

    @Test("a route etcd has but Roost lacks answers Unimplemented (501, code 12)")
    func unimplementedRoute() throws {
        let server = try TestServer()
        defer { server.stop() }
        let auth = try server.post("/v3/auth/status", "{}")
        #expect(auth.status == 501)
        #expect(auth.body.contains(#""code":12"#))
    }

    @Test("GET /version reports an etcd 3.5 server so etcd3gw picks the /v3/ prefix")
    func version() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.client().send(.get, "/version")
        #expect(response.status == 200)
        #expect(response.bodyText.hasPrefix(#"{"etcdserver":"3.5.0","etcdcluster":"3.5.0""#))
    }

    @Test("GET /health answers {\"health\":\"true\"}")
    func health() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.client().send(.get, "/health")
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"health":"true","reason":""}"#)
    }

    @Test("maintenance/status carries version, leader and raft indexes")
    func status() throws {
        let server = try TestServer()
        defer { server.stop() }
        let status = try server.post("/v3/maintenance/status", "{}")
        #expect(status.status == 200)
        #expect(status.body.contains(#""version":"3.5.0""#))
        #expect(status.body.contains(#""leader":"161""#))
        #expect(status.body.contains(#""raftIndex":"1""#))
    }

    @Test("an empty body is an empty request (grpc-gateway treats EOF as an empty message)")
    func emptyBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.client().send(.post, "/v3/cluster/member/list")
        #expect(response.status == 200)
        #expect(response.bodyText.contains(#""members":[{"ID":"161","name":"test""#))
    }
}
