import Platform
import Testing

@testable import RoostClient

/// RoostClient's Consul types: the bodies it sends and the answers it decodes.
@Suite("RoostClient Consul encoding and decoding")
struct ConsulClientTests {
    @Test("a registration is Consul's PascalCase body: empty fields left out, meta in key order")
    func registrationBody() {
        let minimal = ConsulServiceRegistration(name: "web")
        #expect(String(decoding: minimal.jsonBody, as: UTF8.self) == #"{"Name":"web"}"#)
        let full = ConsulServiceRegistration(
            name: "web", id: "web1", address: "10.0.0.5", port: 8080, tags: ["v1", "prod"],
            meta: ["z": "last", "a": "first \"q\""],
            check: ConsulCheckDefinition(
                .http(url: "http://h/health", intervalNanoseconds: 10_000_000_000),
                timeoutNanoseconds: 2_000_000_000,
                deregisterCriticalServiceAfterNanoseconds: 60_000_000_000))
        #expect(
            String(decoding: full.jsonBody, as: UTF8.self)
                == #"{"Name":"web","ID":"web1","Address":"10.0.0.5","Port":8080,"#
                + #""Tags":["v1","prod"],"Meta":{"a":"first \"q\"","z":"last"},"#
                + #""Check":{"HTTP":"http://h/health","Interval":"10s","Timeout":"2s","#
                + #""DeregisterCriticalServiceAfter":"1m"}}"#)
        let ttl = ConsulServiceRegistration(
            name: "db", check: ConsulCheckDefinition(.ttl(nanoseconds: 15_000_000_000)))
        #expect(
            String(decoding: ttl.jsonBody, as: UTF8.self) == #"{"Name":"db","Check":{"TTL":"15s"}}"#
        )
        let tcp = ConsulCheckDefinition(.tcp(address: "h:1", intervalNanoseconds: 1_500_000_000))
        var writer = JSONWriter()
        tcp.write(to: &writer)
        #expect(
            String(decoding: writer.bytes, as: UTF8.self) == #"{"TCP":"h:1","Interval":"1500ms"}"#)
    }

    @Test("durations go out in the largest unit that divides them exactly (Go syntax)")
    func goDurations() {
        let cases: [(Int64, String)] = [
            (3_600_000_000_000, "1h"), (5_400_000_000_000, "90m"), (120_000_000_000, "2m"),
            (90_000_000_000, "90s"), (1_000_000_000, "1s"), (1_500_000_000, "1500ms"),
            (1_000, "1us"), (1_001, "1001ns"), (1, "1ns"),
        ]
        for (nanoseconds, text) in cases {
            #expect(ConsulCheckDefinition.goDuration(nanoseconds) == text, "\(nanoseconds)")
        }
        #expect(ConsulCheckDefinition.checkID(serviceID: "web1") == "service:web1")
    }

    @Test("IDs and notes are percent-encoded (RFC 3986): '/', space, '&', '%' escaped, ':' kept")
    func percentEncoding() {
        #expect(PercentEncoding.pathSegment("service:web1") == "service:web1")
        #expect(PercentEncoding.pathSegment("a/b c") == "a%2Fb%20c")
        #expect(PercentEncoding.queryValue("ok & 100%=done+") == "ok%20%26%20100%25%3Ddone%2B")
        #expect(PercentEncoding.queryValue("é-_.~") == "%C3%A9-_.~")
    }

    @Test("a health entry decodes Consul's shape; the node address stands in for an empty one")
    func healthEntry() throws {
        let text =
            #"{"Node":{"Node":"n1","Address":"192.168.1.2"},"#
            + #""Service":{"ID":"web1","Service":"web","Tags":["v1"],"Address":"","Port":8080},"#
            + #""Checks":[{"CheckID":"serfHealth","Name":"Serf Health Status","Status":"passing","#
            + #""Output":"Agent alive and reachable","ServiceID":""},"#
            + #"{"CheckID":"service:web1","Name":"c","Status":"warning","Output":"slow","#
            + #""ServiceID":"web1"}]}"#
        let entry = try ConsulHealthEntry(JSONParser.parse(Array(text.utf8)))
        #expect(entry.node == "n1")
        #expect(entry.serviceID == "web1")
        #expect(entry.serviceName == "web")
        #expect(entry.address == "192.168.1.2", "empty ServiceAddress means the node's")
        #expect(entry.port == 8080)
        #expect(entry.tags == ["v1"])
        #expect(entry.checks.map(\.checkID) == ["serfHealth", "service:web1"])
        #expect(entry.checks[1].output == "slow")
        #expect(entry.aggregatedStatus == .warning)
    }

    @Test("answers that are not Consul's are protocol errors: unknown status, no Service, bad port")
    func malformedEntries() {
        let cases = [
            #"{"Node":{},"Service":{},"Checks":[{"Status":"maintenance"}]}"#,
            #"{"Node":{},"Checks":[]}"#,
            #"{"Node":{},"Service":{"Port":70000}}"#,
            #"{"Node":{},"Service":{},"Checks":[7]}"#,
        ]
        for text in cases {
            #expect(throws: ClientError.self, "\(text)") {
                try ConsulHealthEntry(JSONParser.parse(Array(text.utf8)))
            }
        }
    }

    @Test("an instance is as healthy as its worst check, and passing with none (Consul)")
    func aggregation() {
        #expect(ConsulHealthStatus.aggregate([]) == .passing)
        #expect(ConsulHealthStatus.aggregate([.passing, .passing]) == .passing)
        #expect(ConsulHealthStatus.aggregate([.passing, .warning]) == .warning)
        #expect(ConsulHealthStatus.aggregate([.critical, .warning, .passing]) == .critical)
    }
}
