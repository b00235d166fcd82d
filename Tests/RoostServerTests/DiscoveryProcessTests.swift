import Foundation
import Platform
import RoostClient
import Testing

/// Consul registration and DNS against a real `roost server` process: what a registered
/// service looks like to a resolver, and how fast a health change reaches DNS.
@Suite("service discovery on a real process", .serialized)
struct DiscoveryProcessTests {
    @Test(
        "a registered service resolves in DNS at once and a failed TTL check removes it (1.5 s allowed)"
    )
    func registrationReachesDNS() throws {
        let directory = ServerProcess.temporaryDirectory("discovery")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dnsPort = try #require(try ClusterProcesses.freePorts(1).first)
        let server = ServerProcess(
            dataDirectory: directory, extraArguments: ["--listen-dns", "127.0.0.1:\(dnsPort)"],
            agent: true)
        try server.start()
        defer { _ = server.terminate() }
        let address = try SocketAddress.parse("127.0.0.1:\(dnsPort)")
        let http = HTTPClient(
            address: try #require(server.endpoint).address, timeoutMilliseconds: 10_000)
        defer { http.close() }
        #expect(try DiscoveryProcessTests.answers(address, "api.service.roost") == -1)
        let register =
            #"{"Name":"api","ID":"api1","Address":"10.1.2.3","Port":9000,"#
            + #""Check":{"TTL":"60s","Status":"passing"}}"#
        #expect(
            try http.send(.put, "/v1/agent/service/register", body: Array(register.utf8)).status
                == 200)
        var registeredAt = Date()
        try waitUntil(seconds: 10) {
            (try? DiscoveryProcessTests.answers(address, "api.service.roost")) == 1
        }
        #expect(
            Date().timeIntervalSince(registeredAt) < 1.5,
            "\(Date().timeIntervalSince(registeredAt))")
        #expect(try DiscoveryProcessTests.answers(address, "API.Service.Consul") == 1)
        registeredAt = Date()
        #expect(try http.send(.put, "/v1/agent/check/fail/service:api1").status == 200)
        // No healthy instance left: NXDOMAIN, as Consul answers.
        try waitUntil(seconds: 10) {
            (try? DiscoveryProcessTests.answers(address, "api.service.roost")) == -1
        }
        #expect(
            Date().timeIntervalSince(registeredAt) < 1.5,
            "\(Date().timeIntervalSince(registeredAt))")
    }

    /// Sends an A query over UDP; -1 for NXDOMAIN, else the answer count.
    static func answers(_ server: SocketAddress, _ name: String) throws -> Int {
        var query: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            query.append(UInt8(label.utf8.count))
            query += Array(label.utf8)
        }
        query += [0, 0, 1, 0, 1]
        let socket = try Socket.bindUDP(SocketAddress.parse("127.0.0.1:0"), reusePort: false)
        defer { socket.close() }
        _ = try query.withUnsafeBytes { try socket.send($0, to: server) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let outcome = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
            if case .done(let (count, _)) = outcome, count >= 12, buffer[0] == 0x12 {
                if buffer[3] & 0x0F == 3 { return -1 }
                return Int(buffer[6]) << 8 | Int(buffer[7])
            }
            usleep(5_000)
        }
        throw ServerProcessError.notReady("no DNS answer")
    }
}
