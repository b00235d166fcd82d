import DiscoveryHTTP
import Foundation
import Platform
import Synchronization
import Testing

/// Watch delivery under load: long histories, slow readers, the `created` revision.
@Suite("etcd v3 watch delivery")
struct EtcdWatchDeliveryTests {
    /// Streams a watch and hands each parsed `result` to `onResult` until it returns false.
    static func watch(
        _ server: TestServer, _ request: String, onResult: (JSONObject) -> Bool
    ) throws {
        let client = HTTPClient(address: server.address, timeoutMilliseconds: 30_000)
        defer { client.close() }
        var lines = LineAssembler()
        try client.stream(.post, "/v3/watch", body: Array(request.utf8)) { event in
            guard case .bodyChunk(let bytes) = event else { return true }
            for line in lines.push(bytes) {
                guard let value = try? JSONParser.parse(line),
                    let result = value["result"]?.objectValue
                else { continue }
                if !onResult(result) { return false }
            }
            return true
        }
    }

    static func put(_ server: TestServer, _ key: String, bytes: Int) throws {
        let value = Base64.encode([UInt8](repeating: 0x61, count: bytes))
        let answer = try server.post("/v3/kv/put", #"{"key":"\#(b64(key))","value":"\#(value)"}"#)
        #expect(answer.status == 200)
    }

    @Test(
        "a watch from the past gets all of a history longer than the live backlog limit, in order")
    func longHistory() throws {
        let server = try TestServer()
        defer { server.stop() }
        let txnCount = 80
        for txn in 0..<txnCount {
            let puts = (0..<128).map { index -> String in
                let key = b64("h/\(txn)/\(index)")
                return #"{"request_put":{"key":"\#(key)","value":"eA=="}}"#
            }
            let body = #"{"success":[\#(puts.joined(separator: ","))]}"#
            #expect(try server.post("/v3/kv/txn", body).status == 200)
        }
        var events = 0
        var lastRevision: Int64 = 0
        var canceled = false
        try Self.watch(
            server,
            #"{"create_request":{"key":"\#(b64("h/"))","range_end":"\#(b64("h0"))","start_revision":"2"}}"#
        ) { result in
            if result["canceled"]?.boolValue == true {
                canceled = true
                return false
            }
            for event in result["events"]?.arrayValue ?? [] {
                let revision = event["kv"]?["mod_revision"]?.int64Value ?? 0
                #expect(revision >= lastRevision, "events arrive in revision order")
                lastRevision = revision
                events += 1
            }
            return events < txnCount * 128
        }
        #expect(!canceled)
        #expect(events == txnCount * 128)
        #expect(lastRevision == Int64(txnCount + 1))
    }

    @Test("the created response of a watch from now names the revision its events start after")
    func createdRevisionHasNoGap() throws {
        let server = try TestServer()
        defer { server.stop() }
        for index in 0..<5 { try Self.put(server, "g\(index)", bytes: 3) }
        let created = Mutex<Int64?>(nil)
        let firstEvent = Mutex<Int64?>(nil)
        let address = server.address
        let watcher = PlatformThread.spawn(name: "watch") {
            let client = HTTPClient(address: address, timeoutMilliseconds: 30_000)
            defer { client.close() }
            try? client.stream(
                .post, "/v3/watch",
                body: Array(#"{"create_request":{"key":"Zw==","range_end":"aA=="}}"#.utf8)
            ) { event in
                guard case .bodyChunk(let bytes) = event, let value = try? JSONParser.parse(bytes),
                    let result = value["result"]?.objectValue
                else { return true }
                if result["created"]?.boolValue == true {
                    created.withLock { $0 = result["header"]?["revision"]?.int64Value }
                    return true
                }
                let revision = result["events"]?.arrayValue?.first?["kv"]?["mod_revision"]?
                    .int64Value
                firstEvent.withLock { $0 = revision }
                return false
            }
        }
        try waitUntil { created.withLock { $0 } != nil }
        try Self.put(server, "g-after", bytes: 3)
        watcher.join()
        let createdRevision = try #require(created.withLock { $0 })
        #expect(firstEvent.withLock { $0 } == createdRevision + 1)
    }

    @Test("a reader that pauses while large events pile up still gets every one (backpressure)")
    func slowReaderLosesNothing() throws {
        let server = try TestServer()
        defer { server.stop() }
        let received = Mutex(0)
        let ready = Mutex(false)
        let address = server.address
        let watcher = PlatformThread.spawn(name: "slow-watch") {
            let client = HTTPClient(address: address, timeoutMilliseconds: 60_000)
            defer { client.close() }
            var lines = LineAssembler()
            let request = #"{"create_request":{"key":"YmlnLw==","range_end":"YmlnMA=="}}"#
            try? client.stream(.post, "/v3/watch", body: Array(request.utf8)) { event in
                guard case .bodyChunk(let bytes) = event else { return true }
                guard let line = lines.push(bytes).first, let value = try? JSONParser.parse(line),
                    let result = value["result"]?.objectValue
                else { return true }
                if result["created"]?.boolValue == true {
                    ready.withLock { $0 = true }
                    Sleep.nanoseconds(1_500_000_000)  // stop reading while the puts land
                    return true
                }
                let count = received.withLock { count in
                    count += result["events"]?.arrayValue?.count ?? 0
                    return count
                }
                return count < 12
            }
        }
        try waitUntil { ready.withLock { $0 } }
        for index in 0..<12 { try Self.put(server, "big/\(index)", bytes: 1_000_000) }
        watcher.join()
        #expect(received.withLock { $0 } == 12)
    }

    @Test("a progress response comes after every event at or below its revision (Bookmarkable)")
    func progressAfterEvents() throws {
        let server = try TestServer()
        defer { server.stop() }
        for index in 0..<20 { try Self.put(server, "p/\(index)", bytes: 10) }
        var lastEvent: Int64 = 0
        var progress: Int64?
        let request =
            #"{"create_request":{"key":"cC8=","range_end":"cDA=","start_revision":"1"}}"#
            + #"{"progress_request":{}}"#
        try Self.watch(server, request) { result in
            if let events = result["events"]?.arrayValue {
                #expect(progress == nil, "no event may follow the progress response")
                lastEvent = events.last?["kv"]?["mod_revision"]?.int64Value ?? lastEvent
                return true
            }
            if result["created"]?.boolValue == true { return true }
            progress = result["header"]?["revision"]?.int64Value
            return false
        }
        #expect(lastEvent == 21)
        #expect((progress ?? 0) >= lastEvent)
    }
}

/// Reassembles newline-terminated stream objects from body pieces (large chunks arrive
/// from the client parser in pieces).
struct LineAssembler {
    private var partial: [UInt8] = []

    mutating func push(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == 0x0A {
                lines.append(partial)
                partial.removeAll(keepingCapacity: true)
            } else {
                partial.append(byte)
            }
        }
        return lines
    }
}
