import Foundation
import Platform
import RoostClient
import Testing

/// `roost confd --watch` against a real 3-member cluster whose leader is killed: the
/// agent's watch and reads fail over to the next endpoint and resume by revision.
@Suite("roost confd across a leader failover", .serialized)
struct ConfdFailoverTests {
    /// Items written before the kill (through the leader) and after it (through a survivor).
    static let itemsBefore = 10
    static let itemsAfter = 10

    static func item(_ number: Int) -> (key: String, value: String) {
        let name = number < 10 ? "0\(number)" : "\(number)"
        return ("/items/\(name)", "item-\(name)")
    }

    @Test("--watch, leader first, survives kill -9 of the leader: no write lost or rendered twice")
    func leaderKill() throws {
        let cluster = try ClusterProcesses(size: 3, label: "confd-failover")
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index) }
        let leader = try cluster.leader()
        let survivor = (leader + 1) % 3
        let order = [leader] + (0..<3).filter { $0 != leader }
        let endpoints = order.compactMap { cluster.endpoint($0)?.text }.joined(separator: ",")
        let agentFiles = try FailoverConfdDirectory()
        defer { agentFiles.remove() }

        let leaderClient = EtcdClient(endpoints: [try #require(cluster.endpoint(leader))])
        for number in 0..<Self.itemsBefore {
            let item = Self.item(number)
            try leaderClient.put(Array(item.key.utf8), Array(item.value.utf8))
        }
        let agent = try BackgroundCLI(
            [
                "confd", "--confdir", agentFiles.confdir, "--endpoints", endpoints, "--watch",
                "--wait", "0.05",
            ])
        defer { agent.kill() }
        let expectedBefore = (0..<Self.itemsBefore).map { Self.item($0).value }
        try waitUntil(seconds: 60) { agentFiles.renderedLines() == expectedBefore }

        cluster.servers[leader]?.kill9()
        let survivorClient = EtcdClient(endpoints: [try #require(cluster.endpoint(survivor))])
        for number in Self.itemsBefore..<(Self.itemsBefore + Self.itemsAfter) {
            let item = Self.item(number)
            // Refused until a new leader is elected. A put retried after a timeout may apply
            // twice: the same key and value, so the rendered file is the same.
            try waitUntil(seconds: 60) {
                (try? survivorClient.put(Array(item.key.utf8), Array(item.value.utf8))) != nil
            }
        }
        let expected = (0..<(Self.itemsBefore + Self.itemsAfter)).map { Self.item($0).value }
        // The reload command logs a render just after the file is replaced.
        try waitUntil(seconds: 60) {
            agentFiles.renderedLines() == expected && agentFiles.renders().last == expected
        }

        // Each render (its reload_cmd logs the file) is the items written so far, in order:
        // a prefix of the sequence, longer every time (a stale read would go back, a
        // replayed change would render the same file twice).
        let renders = agentFiles.renders()
        #expect(renders.last == expected, "\(renders)")
        for render in renders {
            #expect(render == Array(expected.prefix(render.count)), "\(renders)")
        }
        let counts = renders.map(\.count)
        #expect(counts.first == Self.itemsBefore, "\(renders)")
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 < $1 }, "\(counts)")
        #expect(agent.terminate() == 0, "\(agent.output)")
    }
}

/// A confdir with one resource rendering every `/items/*` value on its own line; its
/// reload command appends the rendered file and a `--` line to a log of renders.
struct FailoverConfdDirectory {
    let directory: String
    var confdir: String { directory + "/confd" }
    var renderedPath: String { directory + "/items.conf" }
    var rendersPath: String { directory + "/renders.log" }

    init() throws {
        directory = ServerProcess.temporaryDirectory("confd-failover-agent")
        try FileManager.default.createDirectory(
            atPath: confdir + "/conf.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: confdir + "/templates", withIntermediateDirectories: true)
        try "{{range gets \"/items/*\"}}{{.Value}}\n{{end}}".write(
            toFile: confdir + "/templates/items.tmpl", atomically: true, encoding: .utf8)
        let resource = """
            [template]
            src = "items.tmpl"
            dest = "\(renderedPath)"
            keys = ["/items"]
            reload_cmd = "{ cat \(renderedPath); echo --; } >> \(rendersPath)"

            """
        try resource.write(
            toFile: confdir + "/conf.d/items.toml", atomically: true, encoding: .utf8)
    }

    /// The rendered file's lines, or nil while there is none.
    func renderedLines() -> [String]? {
        guard let text = try? String(contentsOfFile: renderedPath, encoding: .utf8) else {
            return nil
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// Every render the reload command logged, oldest first, as its lines.
    func renders() -> [[String]] {
        let log = (try? String(contentsOfFile: rendersPath, encoding: .utf8)) ?? ""
        var renders: [[String]] = []
        var current: [String] = []
        for line in log.split(separator: "\n").map(String.init) {
            if line == "--" {
                renders.append(current)
                current = []
            } else {
                current.append(line)
            }
        }
        return renders
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
