import Foundation
import Platform
import RoostClient

/// A cluster of `roost server` processes whose peer links all pass through `FaultProxy`s:
/// member j listens on its real peer port, while `--initial-cluster` (the same string for every
/// member, since member IDs derive from it) names j's proxy, which forwards to that port.
final class FaultCluster {
    let names: [String]
    let peerPorts: [UInt16]
    let clientPorts: [UInt16]
    let directories: [String]
    let rules: FaultRules
    let proxies: [FaultProxy]
    var servers: [ServerProcess?]
    /// Flags every member gets besides its name, addresses and the member list.
    var extraArguments: [String] = []
    /// Raft member IDs by index, learnt from `maintenance/status` once the cluster is up.
    private(set) var memberIDs: [UInt64] = []

    init(size: Int, label: String, seed: UInt64) throws {
        names = (1...size).map { "n\($0)" }
        peerPorts = try ClusterProcesses.freePorts(size)
        clientPorts = try ClusterProcesses.freePorts(size)
        directories = (0..<size).map { ServerProcess.temporaryDirectory("\(label)-\($0 + 1)") }
        let rules = FaultRules(seed: seed)
        self.rules = rules
        proxies = try peerPorts.map { port in
            try FaultProxy(target: SocketAddress.parse("127.0.0.1:\(port)"), rules: rules)
        }
        servers = Array(repeating: nil, count: size)
    }

    var indices: Range<Int> { names.indices }

    var initialCluster: String {
        zip(names, proxies).map { "\($0)=http://127.0.0.1:\($1.port)" }.joined(separator: ",")
    }

    /// Starts every member and waits for one leader, then records the member IDs.
    func startAll() throws {
        for index in indices { try start(index) }
        _ = try leader(among: Set(indices))
        memberIDs = try indices.map { index in
            let status = try client(index, timeoutMilliseconds: 5_000).status()
            guard let id = status["header"]?["member_id"]?.uint64Value else {
                throw ServerProcessError.notReady("member \(index + 1) has no member_id")
            }
            return id
        }
    }

    func start(_ index: Int) throws {
        let server = ServerProcess(
            dataDirectory: directories[index],
            extraArguments: [
                "--name", names[index], "--initial-cluster", initialCluster,
                "--listen-peer", "127.0.0.1:\(peerPorts[index])",
            ] + extraArguments, clientPort: clientPorts[index])
        try server.start(healthy: false)
        servers[index] = server
    }

    func kill9(_ index: Int) {
        servers[index]?.kill9()
        servers[index] = nil
    }

    func endpoint(_ index: Int) throws -> Endpoint {
        try Endpoint(parsing: "http://127.0.0.1:\(clientPorts[index])")
    }

    func client(_ index: Int, timeoutMilliseconds: Int = 2_000) throws -> EtcdClient {
        EtcdClient(endpoints: [try endpoint(index)], timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The member that every member of `group` names as leader, once they agree and it is
    /// one of them.
    func leader(among group: Set<Int>, seconds: Double = 30) throws -> Int {
        var found: Int?
        try waitUntil(seconds: seconds) {
            found = agreedLeader(among: group)
            return found != nil
        }
        guard let found else { throw ServerProcessError.notReady("no leader in \(group)") }
        return found
    }

    private func agreedLeader(among group: Set<Int>) -> Int? {
        var leaders = Set<UInt64>()
        var ids: [UInt64: Int] = [:]
        for index in group.sorted() {
            guard let status = try? client(index).status(),
                let id = status["header"]?["member_id"]?.uint64Value
            else { return nil }
            ids[id] = index
            leaders.insert(status["leader"]?.uint64Value ?? 0)
        }
        guard leaders.count == 1, let leader = leaders.first else { return nil }
        return ids[leader]
    }

    /// Blocks every link between members of different groups, both ways.
    func partition(_ groups: [Set<Int>]) {
        var links: [FaultLink] = []
        for (a, groupA) in groups.enumerated() {
            for (b, groupB) in groups.enumerated() where a != b {
                for from in groupA {
                    for to in groupB {
                        links.append(FaultLink(from: memberIDs[from], to: memberIDs[to]))
                    }
                }
            }
        }
        rules.block(links)
    }

    /// Drops what `from` sends to `to`, but not the reverse (an asymmetric fault).
    func cutOneWay(from: Int, to: Int) {
        rules.block([FaultLink(from: memberIDs[from], to: memberIDs[to])])
    }

    func heal() { rules.heal() }

    func stopAll() {
        for index in indices { kill9(index) }
        for proxy in proxies { proxy.stop() }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
    }
}
