import Foundation
import Platform
import RoostClient
import Testing

/// Roost's DNS answers as a real resolver tool sees them: `dig` (Debian bind9-dnsutils)
/// against a real `roost server` process, over UDP and TCP. In CI (`CI=true`) a missing
/// `dig` fails the test instead of skipping it.
@Suite("DNS answers seen by dig on a real process", .serialized)
struct DNSDigTests {
    @Test(
        "dig sees A, SRV plus targets in additional, tag filters, NXDOMAIN, TCP (RFC 2782, 7766)",
        .enabled(if: ProxyBinary.available("dig")))
    func digAnswers() throws {
        let lab = try DigLab()
        defer { lab.close() }
        // Two passing instances of web; only the first has the tag blue.
        try lab.register(id: "web1", address: "10.1.0.1", tags: ["blue"])
        try lab.register(id: "web2", address: "10.1.0.2", tags: ["green"])
        try waitUntil(seconds: 10) {
            (try? lab.dig(["+short", "web.service.roost", "A"]).lines.sorted())
                == ["10.1.0.1", "10.1.0.2"]
        }

        // The RFC 2782 name: one SRV per instance, priority 1 weight 1 and the port, and
        // each target's A record in the additional section.
        let srv = try lab.dig(
            ["+noall", "+answer", "+additional", "_web._tcp.service.roost", "SRV"])
        let srvRecords = srv.records(type: "SRV").map { $0.suffix(4).joined(separator: " ") }
        #expect(
            srvRecords.sorted()
                == ["1 1 9000 0a010001.addr.dc1.roost.", "1 1 9000 0a010002.addr.dc1.roost."],
            "\(srv.text)")
        let additional = srv.records(type: "A").map { "\($0[0]) \($0[4])" }
        #expect(
            additional.sorted()
                == ["0a010001.addr.dc1.roost. 10.1.0.1", "0a010002.addr.dc1.roost. 10.1.0.2"],
            "\(srv.text)")

        // Tag filters, in Consul's form and in the RFC 2782 form.
        #expect(try lab.dig(["+short", "blue.web.service.roost", "A"]).lines == ["10.1.0.1"])
        #expect(try lab.dig(["+short", "_web._green.service.roost", "SRV"]).lines
            == ["1 1 9000 0a010002.addr.dc1.roost."])

        // An unknown service is NXDOMAIN (with the SOA in authority, RFC 2308 §3).
        let unknown = try lab.dig(["nothere.service.roost", "A"])
        #expect(unknown.text.contains("status: NXDOMAIN"), "\(unknown.text)")
        #expect(unknown.text.contains("\tSOA\t"), "\(unknown.text)")
        let known = try lab.dig(["web.service.roost", "A"])
        #expect(known.text.contains("status: NOERROR"), "\(known.text)")
        #expect(known.text.contains("flags: qr aa"), "\(known.text)")

        // TCP: the same answers over a length-framed connection (RFC 7766).
        #expect(
            try lab.dig(["+tcp", "+short", "web.service.roost", "A"]).lines.sorted()
                == ["10.1.0.1", "10.1.0.2"])
        #expect(try lab.dig(["+tcp", "+short", "_web._tcp.service.roost", "SRV"]).lines.count == 2)
    }
}

/// The output of one `dig` run.
struct DigOutput {
    let text: String

    /// Non-empty lines that are not comments.
    var lines: [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(";") }
    }

    /// The whitespace-separated fields of each record line of `type`
    /// (`name TTL class type rdata…`).
    func records(type: String) -> [[String]] {
        lines.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
            .filter { $0.count > 4 && $0[3] == type }
    }
}

/// A `roost server` with its agent and DNS on a known loopback port.
final class DigLab {
    /// How long one `dig` may take; it is told to give up after one 2-second try.
    static let digTimeoutNanoseconds: UInt64 = 10_000_000_000
    let directory: String
    let dnsPort: UInt16
    let server: ServerProcess
    let http: HTTPClient

    init() throws {
        directory = ServerProcess.temporaryDirectory("dig")
        dnsPort = try #require(try ClusterProcesses.freePorts(1).first)
        server = ServerProcess(
            dataDirectory: directory, extraArguments: ["--listen-dns", "127.0.0.1:\(dnsPort)"],
            agent: true)
        try server.start()
        http = HTTPClient(
            address: try #require(server.endpoint).address, timeoutMilliseconds: 10_000)
    }

    func close() {
        http.close()
        _ = server.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Registers an instance of `web` on port 9000 with a passing TTL check.
    func register(id: String, address: String, tags: [String]) throws {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let body =
            #"{"Name":"web","ID":""# + id + #"","Address":""# + address
            + #"","Port":9000,"Tags":["# + tagList + #"],"#
            + #""Check":{"TTL":"60s","Status":"passing"}}"#
        let status = try http.send(.put, "/v1/agent/service/register", body: Array(body.utf8))
            .status
        #expect(status == 200)
    }

    /// Runs `dig @127.0.0.1 -p <port> +time=2 +tries=1 <arguments>` as a child process
    /// (posix_spawn: it must not inherit the test thread's blocked signals).
    func dig(_ arguments: [String]) throws -> DigOutput {
        var output: [UInt8] = []
        let termination = try ChildProcess.run(
            ["dig", "@127.0.0.1", "-p", "\(dnsPort)", "+time=2", "+tries=1"] + arguments,
            timeoutNanoseconds: Self.digTimeoutNanoseconds
        ) { output += $0 }
        let text = String(decoding: output, as: UTF8.self)
        guard termination == .exited(code: 0) else {
            let ending = String(describing: termination)
            throw ServerProcessError.notReady("dig \(arguments) ended \(ending): \(text)")
        }
        return DigOutput(text: text)
    }
}
