import Foundation
import Raft
import RoostClient
import RoostServer
import Testing

/// A file with `bytes` and `mode` in a fresh directory; removed by `remove`.
struct SecretFileFixture {
    let directory = ServerProcess.temporaryDirectory("secret")
    var path: String { directory + "/peer.secret" }

    func write(_ bytes: [UInt8], mode: Int = 0o600) throws -> String {
        try? FileManager.default.removeItem(atPath: path)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode])
        else { throw ServerProcessError.notReady("cannot create \(path)") }
        // createFile applies the umask; set the mode exactly.
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite("--peer-secret-file: size and permission checks")
struct PeerSecretFileTests {
    static func problem(_ path: String) -> String? {
        do {
            _ = try PeerSecretFile.load(path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("a file of 16 to 4096 bytes is a secret; 15 and 4097 are refused with the size")
    func sizeLimits() throws {
        let fixture = SecretFileFixture()
        defer { fixture.remove() }
        for size in [
            PeerSecret.byteCountMin, PeerSecret.byteCountMin + 1,
            PeerSecret.byteCountMax - 1, PeerSecret.byteCountMax,
        ] {
            let path = try fixture.write([UInt8](repeating: 0x41, count: size))
            #expect(try PeerSecretFile.load(path).byteCount == size)
        }
        for size in [0, PeerSecret.byteCountMin - 1, PeerSecret.byteCountMax + 1] {
            let path = try fixture.write([UInt8](repeating: 0x41, count: size))
            let problem = try #require(Self.problem(path))
            #expect(problem.contains("holds \(size) bytes"), "\(problem)")
            #expect(problem.contains("head -c 32 /dev/urandom"))
        }
    }

    @Test("a file group or others may access is refused with the chmod that fixes it (like ssh)")
    func permissions() throws {
        let fixture = SecretFileFixture()
        defer { fixture.remove() }
        let secret = [UInt8](repeating: 0x42, count: 32)
        for mode in [0o600, 0o400] {
            #expect(try PeerSecretFile.load(try fixture.write(secret, mode: mode)).byteCount == 32)
        }
        for mode in [0o640, 0o604, 0o660, 0o644, 0o610] {
            let path = try fixture.write(secret, mode: mode)
            let problem = try #require(Self.problem(path), "mode \(String(mode, radix: 8))")
            #expect(problem.contains("chmod 600"), "\(problem)")
        }
    }

    @Test("a missing file or a directory is refused, naming the path and never the contents")
    func missingOrDirectory() throws {
        let fixture = SecretFileFixture()
        defer { fixture.remove() }
        #expect(Self.problem(fixture.directory + "/absent")?.contains("cannot open") == true)
        #expect(Self.problem(fixture.directory)?.contains("not a regular file") == true)
    }
}

@Suite("roost server --peer-secret-file (processes)", .serialized)
struct PeerSecretProcessTests {
    @Test("a bad secret file is a usage error: exit 2, the reason, and no secret bytes printed")
    func cliErrors() throws {
        let fixture = SecretFileFixture()
        defer { fixture.remove() }
        let short = try fixture.write(Array("fifteen-bytes!!".utf8))
        let result = try runCLI([
            "server", "--data-dir", fixture.directory + "/data", "--peer-secret-file", short,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--peer-secret-file \(short): it holds 15 bytes"))
        #expect(!result.stderr.contains("fifteen") && !result.stdout.contains("fifteen"))
        let open = try fixture.write(Array("sixteen-bytes-ok".utf8), mode: 0o644)
        let readable = try runCLI([
            "server", "--data-dir", fixture.directory + "/data", "--peer-secret-file", open,
        ])
        #expect(readable.status == 2)
        #expect(readable.stderr.contains("chmod 600"))
    }

    @Test("3 members with the same secret elect and replicate; a 4th with another is refused")
    func clusterWithSecret() throws {
        let fixture = SecretFileFixture()
        defer { fixture.remove() }
        let path = try fixture.write((0..<32).map { UInt8($0 * 7 + 3) })
        let cluster = try ClusterProcesses(size: 3, label: "secret")
        defer { cluster.stopAll() }
        cluster.extraArguments = ["--peer-secret-file", path]
        for index in 0..<3 { try cluster.start(index) }
        let leader = try cluster.leader()
        #expect(cluster.servers[leader]?.log.contains("peer links  authenticated") == true)
        let follower = (leader + 1) % 3
        try EtcdClient(endpoints: [try #require(cluster.endpoint(leader))])
            .put(Array("guarded".utf8), Array("yes".utf8))
        let reader = EtcdClient(endpoints: [try #require(cluster.endpoint(follower))])
        #expect(try reader.range(Array("guarded".utf8)).kvs.map(\.value) == [Array("yes".utf8)])

        // A 4th process that names the members but holds another secret: every link it
        // dials fails its check of the members' proofs, and the members hear why.
        let otherDirectory = SecretFileFixture()
        defer { otherDirectory.remove() }
        let other = try otherDirectory.write([UInt8](repeating: 0x5A, count: 32))
        let ports = try ClusterProcesses.freePorts(2)
        let intruderDirectory = ServerProcess.temporaryDirectory("secret-4")
        defer { try? FileManager.default.removeItem(atPath: intruderDirectory) }
        let intruder = ServerProcess(
            dataDirectory: intruderDirectory,
            extraArguments: [
                "--name", "n4", "--listen-peer", "127.0.0.1:\(ports[0])",
                "--initial-cluster", cluster.initialCluster + ",n4=http://127.0.0.1:\(ports[0])",
                "--initial-cluster-state", "existing", "--peer-secret-file", other,
            ], clientPort: ports[1])
        try intruder.start(healthy: false)
        defer { intruder.kill9() }
        try waitUntil(seconds: 20) { intruder.log.contains("proof of the shared secret did not") }
        try waitUntil(seconds: 20) {
            cluster.servers.contains { $0?.log.contains("the secrets differ") == true }
        }
        #expect(!intruder.log.contains("ZZZZZZZZ"), "the secret's bytes are never printed")
        // The cluster is unharmed.
        try EtcdClient(endpoints: [try #require(cluster.endpoint(follower))])
            .put(Array("after".utf8), Array("1".utf8))
    }
}
