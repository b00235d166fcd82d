import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// `/v3/lease/*` shapes and quirks (reference/etcd.md §1.7).
@Suite("etcd v3 gateway: leases")
struct EtcdLeaseTests {
    @Test("grant with ID 0 picks a positive ID and answers {header, ID, TTL} as strings")
    func grantPicksID() throws {
        let server = try TestServer()
        defer { server.stop() }
        let grant = try server.post("/v3/lease/grant", #"{"TTL":60,"ID":0}"#)
        #expect(grant.status == 200)
        #expect(grant.body.contains(#""ID":"2119630849""#))
        #expect(grant.body.hasSuffix(#""TTL":"60"}"#))
    }

    @Test("grant below the minimum TTL is raised to it; above the maximum is OutOfRange (lessor)")
    func grantLimits() throws {
        let server = try TestServer()
        defer { server.stop() }
        let short = try server.post("/v3/lease/grant", #"{"TTL":"1","ID":"5"}"#)
        #expect(short.body.contains(#""ID":"5","TTL":"2""#))
        let atMax = try server.post("/v3/lease/grant", #"{"TTL":"9000000000","ID":"6"}"#)
        #expect(atMax.status == 200)
        let tooLong = try server.post("/v3/lease/grant", #"{"TTL":"9000000001","ID":"7"}"#)
        #expect(tooLong.status == 400)
        #expect(tooLong.body.contains("etcdserver: too large lease TTL"))
        let again = try server.post("/v3/lease/grant", #"{"TTL":"10","ID":"5"}"#)
        #expect(again.status == 400)
        #expect(again.body.contains("etcdserver: lease already exists"))
    }

    @Test("keepalive answers one result line per request object; an unknown lease has no TTL")
    func keepAlive() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"30","ID":"9"}"#)
        let one = try server.post("/v3/lease/keepalive", #"{"ID":"9"}"#)
        #expect(one.status == 200)
        #expect(one.body.hasPrefix(#"{"result":{"header":{"#))
        #expect(one.body.hasSuffix(#""ID":"9","TTL":"30"}}"# + "\n"))
        let two = try server.post("/v3/lease/keepalive", #"{"ID":"9"} {"ID":"404"}"#)
        let lines = two.body.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasSuffix(#""raft_term":"2"},"ID":"404"}}"#))
    }

    @Test("timetolive reports remaining and granted TTL and the attached keys; unknown is TTL -1")
    func timeToLive() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"30","ID":"11"}"#)
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("a"))","value":"","lease":"11"}"#)
        server.keySpace.clock.advance(by: 10_500_000_000)
        let ttl = try server.post("/v3/kv/lease/timetolive", #"{"ID":"11","keys":true}"#)
        #expect(ttl.body.hasSuffix(#""ID":"11","TTL":"19","grantedTTL":"30","keys":["\#(b64("a"))"]}"#))
        let unknown = try server.post("/v3/lease/timetolive", #"{"ID":"12"}"#)
        #expect(unknown.status == 200)
        #expect(unknown.body.hasSuffix(#""ID":"12","TTL":"-1"}"#))
    }

    @Test("expiry revokes the lease and deletes its keys; revoke of an unknown lease is 404")
    func expiryAndRevoke() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"5","ID":"21"}"#)
        _ = try server.post("/v3/lease/grant", #"{"TTL":"50","ID":"22"}"#)
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("k"))","value":"","lease":"21"}"#)
        let leases = try server.post("/v3/lease/leases", "{}")
        #expect(leases.body.hasSuffix(#""leases":[{"ID":"21"},{"ID":"22"}]}"#))
        server.keySpace.clock.advance(by: 5_000_000_000)
        server.keySpace.revokeExpiredLeases()
        let range = try server.post("/v3/kv/range", #"{"key":"\#(b64("k"))"}"#)
        #expect(!range.body.contains("kvs"))
        let after = try server.post("/v3/kv/lease/leases", "{}")
        #expect(after.body.hasSuffix(#""leases":[{"ID":"22"}]}"#))
        #expect(try server.post("/v3/lease/revoke", #"{"ID":"22"}"#).status == 200)
        let gone = try server.post("/v3/kv/lease/revoke", #"{"ID":"22"}"#)
        #expect(gone.status == 404)
        #expect(gone.body.contains("etcdserver: requested lease not found"))
    }

    @Test("a put naming an unknown lease is 404 lease not found")
    func putUnknownLease() throws {
        let server = try TestServer()
        defer { server.stop() }
        let put = try server.post("/v3/kv/put", #"{"key":"\#(b64("k"))","lease":"77"}"#)
        #expect(put.status == 404)
    }

    @Test("maintenance/hash and hashkv change with the data and report the hashed revision")
    func hashes() throws {
        let server = try TestServer()
        defer { server.stop() }
        let before = try server.post("/v3/maintenance/hash", "{}")
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("h"))","value":"\#(b64("1"))"}"#)
        let after = try server.post("/v3/maintenance/hashkv", #"{"revision":"0"}"#)
        #expect(before.status == 200)
        #expect(before.body.contains(#""hash":"#))
        #expect(after.body.hasSuffix(#""hash_revision":"2"}"#))
        let hash = { (body: String) in
            body.range(of: #""hash":[0-9]+"#, options: .regularExpression).map { String(body[$0]) }
        }
        #expect(hash(before.body) != nil)
        #expect(hash(before.body) != hash(after.body))
    }
}
