import DiscoveryHTTP
import Foundation
import Platform
import Synchronization
import Testing

extension TestServer {
    /// Sends one request and returns the whole response.
    func consul(
        _ method: HTTPMethod, _ target: String, _ body: String = ""
    ) throws
        -> HTTPClient.Response
    {
        let client = client()
        defer { client.close() }
        return try client.send(method, target, body: Array(body.utf8))
    }
}

/// Consul's KV endpoint over the shared key space (reference/consul.md §1).
@Suite("Consul KV API")
struct ConsulKVTests {
    @Test("PUT answers true; GET answers a one-entry array in DirEntry field order with indexes")
    func putAndGet() throws {
        let server = try TestServer()
        defer { server.stop() }
        let put = try server.consul(.put, "/v1/kv/app/cfg?flags=42", "test")
        #expect(put.status == 200)
        #expect(put.bodyText == "true")
        let get = try server.consul(.get, "/v1/kv/app/cfg")
        #expect(
            get.bodyText == #"[{"LockIndex":0,"Key":"app/cfg","Flags":42,"Value":"dGVzdA==","#
                + #""CreateIndex":2,"ModifyIndex":2}]"#)
        #expect(get.headers.first("X-Consul-Index") == "2")
        #expect(get.headers.first("X-Consul-KnownLeader") == "true")
        #expect(get.headers.first("X-Consul-LastContact") == "0")
        // The same key through etcd's API: one key space.
        let range = try server.post("/v3/kv/range", #"{"key":"\#(b64("app/cfg"))"}"#)
        #expect(range.body.contains(b64("test")))
    }

    @Test("a delete under a prefix moves the listing's index, as Consul's tombstones do (§2.2)")
    func deleteMovesIndex() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.consul(.put, "/v1/kv/t/a", "1").status == 200)  // revision 2
        #expect(try server.consul(.put, "/v1/kv/t/b", "2").status == 200)  // revision 3
        #expect(try server.consul(.delete, "/v1/kv/t/b").status == 200)  // revision 4
        let listing = try server.consul(.get, "/v1/kv/t/?recurse")
        #expect(listing.headers.first("X-Consul-Index") == "4")
        let keys = try server.consul(.get, "/v1/kv/t/?keys")
        #expect(keys.bodyText == #"["t/a"]"#)
        #expect(keys.headers.first("X-Consul-Index") == "4")
        // An unrelated key elsewhere does not move it.
        #expect(try server.consul(.put, "/v1/kv/other", "x").status == 200)
        #expect(
            try server.consul(.get, "/v1/kv/t/?recurse").headers.first("X-Consul-Index") == "4")
        // A blocking query from the index before the delete answers at once with it.
        let blocked = try server.consul(.get, "/v1/kv/t/?recurse&index=3&wait=5s")
        #expect(blocked.headers.first("X-Consul-Index") == "4")
    }

    @Test("a missing key is 404 with an empty body and the index headers still set")
    func missing() throws {
        let server = try TestServer()
        defer { server.stop() }
        let get = try server.consul(.get, "/v1/kv/nothing")
        #expect(get.status == 404)
        #expect(get.body.isEmpty)
        #expect(get.headers.first("X-Consul-Index") == "1")
        #expect(try server.consul(.get, "/v1/kv/").status == 400)
        #expect(try server.consul(.get, "/v1/kv/").bodyText == "Missing key name\n")
    }

    @Test("an empty value reads as null; a PUT without ?flags resets the flags to 0")
    func emptyValueAndFlags() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.consul(.put, "/v1/kv/k?flags=7", "")
        #expect(try server.consul(.get, "/v1/kv/k").bodyText.contains(#""Flags":7,"Value":null"#))
        _ = try server.consul(.put, "/v1/kv/k", "v")
        #expect(try server.consul(.get, "/v1/kv/k").bodyText.contains(#""Flags":0,"#))
    }

    @Test("recurse lists by prefix in key order; keys with a separator rolls up (kv.mdx)")
    func recurseAndKeys() throws {
        let server = try TestServer()
        defer { server.stop() }
        for key in ["web/foo", "web/bar", "web/subdir/x", "web/subdir/y", "webx"] {
            _ = try server.consul(.put, "/v1/kv/\(key)", key)
        }
        let keys = try server.consul(.get, "/v1/kv/web/?keys&separator=/")
        #expect(keys.bodyText == #"["web/bar","web/foo","web/subdir/"]"#)
        let all = try server.consul(.get, "/v1/kv/web?recurse")
        #expect(all.bodyText.components(separatedBy: "\"Key\"").count == 6)
        #expect(all.headers.first("X-Consul-Index") == "6")
        #expect(try server.consul(.get, "/v1/kv/none/?keys").status == 404)
        #expect(try server.consul(.get, "/v1/kv/web/foo?raw").bodyText == "web/foo")
    }

    @Test("cas=0 creates only; cas=N writes only at ModifyIndex N; conflicting flags are 400")
    func compareAndSet() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.consul(.put, "/v1/kv/c?cas=0", "1").bodyText == "true")
        #expect(try server.consul(.put, "/v1/kv/c?cas=0", "2").bodyText == "false")
        #expect(try server.consul(.put, "/v1/kv/c?cas=99", "3").bodyText == "false")
        #expect(try server.consul(.put, "/v1/kv/c?cas=2", "4").bodyText == "true")
        let conflict = try server.consul(.put, "/v1/kv/c?cas=2&acquire=x", "5")
        #expect(conflict.status == 400)
        #expect(conflict.bodyText.hasPrefix("Conflicting flags: "))
        #expect(try server.consul(.delete, "/v1/kv/c?cas=2").bodyText == "false")
        #expect(try server.consul(.delete, "/v1/kv/c?cas=3").bodyText == "true")
    }

    @Test("a value of 512 KiB is stored and one byte more is 413")
    func valueLimit() throws {
        let server = try TestServer()
        defer { server.stop() }
        let atLimit = String(repeating: "v", count: 512 * 1024)
        #expect(try server.consul(.put, "/v1/kv/big", atLimit).status == 200)
        let over = try server.consul(.put, "/v1/kv/big", atLimit + "v")
        #expect(over.status == 413)
        #expect(over.bodyText.hasPrefix("Request body(524289 bytes) too large"))
    }

    @Test(
        "the reserved _roost/ prefix is refused to Consul and etcd writers and survives delete-all")
    func reservedPrefix() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.consul(.put, "/v1/kv/_roost/x", "1").status == 403)
        let etcd = try server.post("/v3/kv/put", #"{"key":"\#(b64("_roost/x"))","value":""}"#)
        #expect(etcd.status == 403)
        #expect(etcd.body.contains("etcdserver: permission denied"))
        let wipe = try server.post("/v3/kv/deleterange", #"{"key":"AA==","range_end":"AA=="}"#)
        #expect(wipe.status == 403)
        _ = try server.consul(.put, "/v1/kv/a", "1")
        _ = try server.consul(.put, "/v1/kv/z", "1")
        #expect(try server.consul(.delete, "/v1/kv/?recurse").bodyText == "true")
        #expect(try server.consul(.get, "/v1/kv/?recurse").status == 404)
    }

    @Test("a blocking GET returns when the key changes, with the new index")
    func blockingWakesOnChange() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.consul(.put, "/v1/kv/b", "1")
        let address = server.address
        let writer = Thread {
            usleep(300_000)
            let client = HTTPClient(address: address, timeoutMilliseconds: 10_000)
            defer { client.close() }
            _ = try? client.send(.put, "/v1/kv/unrelated", body: Array("x".utf8))
            _ = try? client.send(.put, "/v1/kv/b", body: Array("2".utf8))
        }
        writer.start()
        let started = Date()
        let blocked = try server.consul(.get, "/v1/kv/b?index=2&wait=20s")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(blocked.headers.first("X-Consul-Index") == "4")
        #expect(blocked.bodyText.contains(#""Value":"Mg==""#))
    }

    @Test("a pending blocking GET is answered at once when the server shuts down")
    func blockingEndsAtShutdown() throws {
        let server = try TestServer()
        _ = try server.consul(.put, "/v1/kv/s", "1")
        let address = server.address
        let answer = Mutex<Int?>(nil)
        let reader = Thread {
            let client = HTTPClient(address: address, timeoutMilliseconds: 30_000)
            defer { client.close() }
            let status = (try? client.send(.get, "/v1/kv/s?index=2&wait=60s"))?.status
            answer.withLock { $0 = status ?? -1 }
        }
        reader.start()
        try waitUntil { server.keySpace.watches.count == 1 }
        let started = Date()
        server.stop()
        // Well inside the 10 s grace period a hanging query would have used.
        #expect(Date().timeIntervalSince(started) < 5)
        try waitUntil { answer.withLock { $0 } != nil }
        #expect(answer.withLock { $0 } == 200)
    }

    @Test("a blocking GET whose client hung up is ended, releasing its watch")
    func blockingEndsWhenClientLeaves() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.consul(.put, "/v1/kv/h", "1")
        let socket = try Socket.connectTCP(server.address, timeoutMilliseconds: 5_000)
        let request = "GET /v1/kv/h?index=2&wait=60s HTTP/1.1\r\nHost: t\r\n\r\n"
        try Array(request.utf8).withUnsafeBytes { try socket.writeAll($0) }
        try waitUntil { server.keySpace.watches.count == 1 }
        socket.close()
        try waitUntil { server.keySpace.watches.count == 0 }
    }

    @Test("a blocking GET times out with 200, unchanged data and the client's index")
    func blockingTimesOut() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.consul(.put, "/v1/kv/t/a", "1")
        _ = try server.consul(.put, "/v1/kv/t/b", "1")
        _ = try server.consul(.delete, "/v1/kv/t/b")
        let started = Date()
        let blocked = try server.consul(.get, "/v1/kv/t/?recurse&index=4&wait=300ms")
        #expect(Date().timeIntervalSince(started) >= 0.3)
        #expect(blocked.status == 200)
        #expect(blocked.headers.first("X-Consul-Index") == "4")
        // An index older than the delete answers at once, with the delete's index.
        let stale = try server.consul(.get, "/v1/kv/t/?recurse&index=3&wait=10s")
        #expect(stale.headers.first("X-Consul-Index") == "4")
    }

    @Test("bad wait and index values and ?stale with ?consistent are 400 with Consul's text")
    func badQueries() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(
            try server.consul(.get, "/v1/kv/k?index=1&wait=5x").bodyText == "Invalid wait time\n")
        #expect(try server.consul(.get, "/v1/kv/k?index=-1").bodyText == "Invalid index\n")
        #expect(try server.consul(.get, "/v1/kv/k?stale&consistent").status == 400)
        #expect(try server.consul(.get, "/v1/nope").status == 404)
        let method = try server.consul(.post, "/v1/kv/k")
        #expect(method.status == 405)
        #expect(method.headers.first("Allow") == "GET,PUT,DELETE")
    }
}
