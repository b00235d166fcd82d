import Foundation
import Platform
import RoostClient
import Testing

/// The member table as clients see it, across members, snapshots and peer URL changes.
@Suite("roost cluster member table", .serialized)
struct ClusterMemberTableTests {
    /// `cluster/member/list` from one member, as "name peerURL clientURL" lines, sorted.
    static func members(_ endpoint: Endpoint) -> [String]? {
        guard
            let answer = try? EtcdClient(endpoints: [endpoint], timeoutMilliseconds: 2_000).call(
                "cluster/member/list", Array("{}".utf8), idempotent: true)
        else { return nil }
        return (answer["members"]?.arrayValue ?? []).compactMap(\.objectValue).map { member in
            let urls = ["peerURLs", "clientURLs"].map { field in
                (member[field]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            }
            return ([member["name"]?.stringValue ?? "-"] + urls).joined(separator: " ")
        }.sorted()
    }

    /// Failures a loaded machine can cause (an election, a dropped forward).
    static func isTransient(_ stderr: String) -> Bool {
        stderr.contains("request timed out") || stderr.contains("leader changed")
            || stderr.contains("no leader")
    }

    static func expected(_ cluster: ClusterProcesses) -> [String] {
        cluster.names.indices.map {
            "\(cluster.names[$0]) http://127.0.0.1:\(cluster.peerPorts[$0]) "
                + "http://127.0.0.1:\(cluster.clientPorts[$0])"
        }.sorted()
    }

    @Test("every member lists every member's name and client URLs, published through the log")
    func attributesPublished() throws {
        let cluster = try ClusterProcesses(size: 3, label: "attributes")
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index) }
        _ = try cluster.leader()
        let expected = Self.expected(cluster)
        for index in 0..<3 {
            let endpoint = try #require(cluster.endpoint(index))
            try waitUntil(seconds: 30) { Self.members(endpoint) == expected }
        }
    }

    @Test("a member that joins from a snapshot learns the membership changes inside it (§7)")
    func tableInSnapshot() throws {
        let cluster = try ClusterProcesses(size: 3, label: "snaptable")
        cluster.extraArguments = ["--snapshot-count", "50", "--snapshot-catchup-entries", "10"]
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index) }
        let leaderEndpoint = try #require(cluster.endpoint(try cluster.leader()))
        let endpoints = leaderEndpoint.text
        // A learner that never starts joins the table and its peer URL moves ...
        let ports = try ClusterProcesses.freePorts(4)
        let add = try runCLI([
            "members", "add", "http://127.0.0.1:\(ports[0])", "--learner", "--endpoints", endpoints,
        ])
        #expect(add.status == 0, "\(add.stderr)")
        let addedID = try #require(
            add.stdout.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let moved = "http://127.0.0.1:\(ports[1])"
        var update = try runCLI(["members", "update", addedID, moved, "--endpoints", endpoints])
        for _ in 0..<3 where Self.isTransient(update.stderr) {
            update = try runCLI(["members", "update", addedID, moved, "--endpoints", endpoints])
        }
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stdout.contains(moved))
        // ... then the log is compacted past both changes.
        let client = EtcdClient(endpoints: [leaderEndpoint])
        for index in 0..<400 { try client.put(Array("t/\(index)".utf8), Array("v".utf8)) }
        // A new member, started with the bootstrap list only, gets the leader's snapshot.
        let joinerURL = "http://127.0.0.1:\(ports[2])"
        let join = try runCLI([
            "members", "add", joinerURL, "--learner", "--endpoints", endpoints,
        ])
        #expect(join.status == 0, "\(join.stderr)")
        let directory = ServerProcess.temporaryDirectory("snaptable-4")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let joiner = ServerProcess(
            dataDirectory: directory,
            extraArguments: [
                "--name", "n4", "--listen-peer", "127.0.0.1:\(ports[2])",
                "--initial-cluster", cluster.initialCluster + ",n4=\(joinerURL)",
                "--initial-cluster-state", "existing",
            ] + cluster.extraArguments, clientPort: ports[3])
        try joiner.start(healthy: false)
        defer { joiner.kill9() }
        let joined = try #require(joiner.endpoint)
        var options = rangeOptions(prefix: "t/")
        options.serializable = true
        try waitUntil(seconds: 60) {
            (try? EtcdClient(endpoints: [joined]).range(Array("t/".utf8), options))?.kvs.count
                == 400
        }
        let wanted = (Self.expected(cluster) + ["- \(moved) ", "n4 \(joinerURL) \(joined.text)"])
            .sorted()
        try waitUntil(seconds: 30) { Self.members(joined) == wanted }
    }

    @Test("member update moves a member's peer URL and the cluster replicates to it there")
    func peerURLUpdate() throws {
        let cluster = try ClusterProcesses(size: 3, label: "update")
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index) }
        let leader = try cluster.leader()
        let moving = (leader + 2) % 3
        let endpoints = (0..<3).compactMap { cluster.endpoint($0)?.text }.joined(separator: ",")
        let status = try EtcdClient(endpoints: [try #require(cluster.endpoint(moving))]).status()
        let id = String(try #require(status["header"]?["member_id"]?.uint64Value), radix: 16)
        let port = try ClusterProcesses.freePorts(1)[0]
        // Setting a peer URL is idempotent: a write that timed out on a loaded machine is
        // simply made again.
        var update = try runCLI([
            "members", "update", id, "http://127.0.0.1:\(port)", "--endpoints", endpoints,
        ])
        for _ in 0..<3 where Self.isTransient(update.stderr) {
            update = try runCLI([
                "members", "update", id, "http://127.0.0.1:\(port)", "--endpoints", endpoints,
            ])
        }
        #expect(update.status == 0, "\(update.stderr)")
        let taken = try runCLI([
            "members", "update", id, "http://127.0.0.1:\(cluster.peerPorts[leader])",
            "--endpoints", endpoints,
        ])
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("Peer URLs already exists"))
        // Restarted on the new peer address, it still receives every write.
        cluster.servers[moving]?.kill9()
        let server = ServerProcess(
            dataDirectory: cluster.directories[moving],
            extraArguments: [
                "--name", cluster.names[moving], "--initial-cluster", cluster.initialCluster,
                "--listen-peer", "127.0.0.1:\(port)",
            ], clientPort: cluster.clientPorts[moving])
        try server.start(healthy: false)
        cluster.servers[moving] = server
        try EtcdClient(endpoints: [try #require(cluster.endpoint(leader))]).put(
            Array("moved".utf8), Array("yes".utf8))
        let moved = try #require(cluster.endpoint(moving))
        var options = ClientRangeOptions()
        options.serializable = true
        try waitUntil(seconds: 30) {
            (try? EtcdClient(endpoints: [moved]).range(Array("moved".utf8), options))?.kvs.count
                == 1
        }
    }
}
