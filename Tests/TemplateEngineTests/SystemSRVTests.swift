import Foundation
import Glibc
import Testing

@testable import TemplateEngine

@Suite("SystemTemplateEnvironment SRV over loopback UDP")
struct SystemSRVTests {
    /// Binds a UDP socket on 127.0.0.1 with an ephemeral port; returns (descriptor, port).
    static func bindLoopback() -> (Int32, UInt16)? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            return nil
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    @Test("a lookup sends an SRV query to the resolv.conf server and decodes its answer")
    func loopbackLookup() throws {
        let (server, port) = try #require(Self.bindLoopback())
        defer { close(server) }
        let directory = FileManager.default.temporaryDirectory
        let path = directory.appendingPathComponent("roost-resolv-\(getpid()).conf").path
        try "nameserver 127.0.0.1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let responder = Thread {
            var buffer = [UInt8](repeating: 0, count: 512)
            var peer = sockaddr_in()
            var peerLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(server, &buffer, buffer.count, 0, $0, &peerLength)
                }
            }
            guard count > 12 else { return }
            // Echo the question, set QR/RA, one SRV answer pointing at the question name.
            var response = Array(buffer.prefix(count))
            response[2] = 0x81
            response[3] = 0x80
            response[7] = 1
            response += [0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60, 0, 12, 0, 1, 0, 2, 0x09, 0x4b]
            response += [4] + Array("node".utf8) + [0xc0, 12]
            _ = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(server, response, response.count, 0, $0, peerLength)
                }
            }
        }
        responder.start()
        var environment = SystemTemplateEnvironment()
        environment.resolvConfPath = path
        environment.dnsPort = port
        let records = environment.lookupSRV(service: "etcd", proto: "tcp", name: "example.com")
        #expect(
            records == [
                TemplateSRVRecord(
                    target: "node._etcd._tcp.example.com.", port: 2379, priority: 1, weight: 2)
            ])
    }

    @Test("no answer within the timeout is a failed lookup (nil), as Go's error case")
    func timeout() throws {
        let (server, port) = try #require(Self.bindLoopback())
        defer { close(server) }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("roost-resolv-t-\(getpid()).conf").path
        try "nameserver 127.0.0.1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        var environment = SystemTemplateEnvironment()
        environment.resolvConfPath = path
        environment.dnsPort = port
        environment.dnsTimeoutMilliseconds = 50
        #expect(environment.lookupSRV(service: "etcd", proto: "tcp", name: "example.com") == nil)
        #expect(environment.nameservers() == ["127.0.0.1"])
    }
}
