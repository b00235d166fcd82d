import DNSResponder
import DiscoveryHTTP
import Platform
import ServiceCatalog
import Synchronization

/// The discovery side of a server: the embedded agent and the DNS responder fed from
/// the catalog it watches.
extension RoostServer {
    func startDiscovery(keySpace: ServerKeySpace, loops: EventLoopGroup) throws(ServerError) {
        var dns: DNSServer?
        if let text = configuration.dnsAddress {
            dns = try RoostServer.makeDNSServer(configuration, address: text, loops: loops)
        }
        let generation = GenerationCounter()
        let agent = NodeAgent(
            keySpace: keySpace, scriptChecksEnabled: configuration.enableScriptChecks
        ) { [dns] snapshot in
            dns?.updateCatalog(RoostServer.dnsView(snapshot, generation: generation.next()))
        }
        keySpace.attachAgent { checkID in agent.ttlRefreshed(checkID: checkID) }
        agent.start()
        self.discovery = Discovery(agent: agent, dns: dns)
    }

    static func makeDNSServer(
        _ configuration: ServerConfiguration, address text: String, loops: EventLoopGroup
    ) throws(ServerError) -> DNSServer {
        let listen = try address(text, flag: "--listen-dns")
        var recursor: SocketAddress?
        if let forward = configuration.dnsRecursor {
            recursor = try address(forward, flag: "--dns-recursor")
        }
        let domain: DNSName
        do {
            domain = try DNSName(configuration.dnsDomain)
        } catch {
            throw .badAddress(flag: "--dns-domain", value: configuration.dnsDomain)
        }
        guard domain.wireLength <= DNSAnswererConfiguration.domainBytesMax else {
            throw .badAddress(flag: "--dns-domain", value: configuration.dnsDomain)
        }
        let answerer = DNSAnswererConfiguration(
            domain: domain, ttlSeconds: configuration.dnsTTLSeconds,
            soaSerial: UInt32(truncatingIfNeeded: WallClock().nowUnixNanoseconds() / 1_000_000_000))
        let server = DNSServer(
            configuration: DNSServerConfiguration(
                listenAddress: listen, recursor: recursor, answerer: answerer),
            group: loops)
        do {
            try server.start()
        } catch {
            server.stop()
            throw .listen(address: text, error)
        }
        return server
    }

    /// The DNS responder's view: every node and instance with its aggregate health.
    static func dnsView(_ snapshot: CatalogSnapshot, generation: UInt64) -> DNSCatalogView {
        let health = snapshot.health
        let nodes = snapshot.nodes.map {
            DNSNode(name: $0.record.node, address: $0.record.address, meta: $0.record.meta)
        }
        let instances = snapshot.services.map { entry in
            let service = entry.record
            let status = health.instanceStatus(node: service.node, serviceID: service.id)
            return DNSServiceInstance(
                service: service.service, id: service.id, node: service.node,
                address: service.address, port: UInt16(clamping: service.port), tags: service.tags,
                meta: service.meta,
                health: status == .passing ? .passing : status == .warning ? .warning : .critical)
        }
        return DNSCatalogView(generation: generation, nodes: nodes, instances: instances)
    }

    /// Where DNS answers (the real port when configured with port 0).
    public var dnsAddress: SocketAddress? { discovery?.dns?.boundAddress }
}

/// The running discovery pieces, stopped before the event loops.
struct Discovery {
    var agent: NodeAgent
    var dns: DNSServer?

    func stop() {
        agent.stop()
        dns?.stop()
    }
}

/// Bumped on every catalog view, so the DNS answer caches start over.
final class GenerationCounter: Sendable {
    private let value = Atomic<UInt64>(0)

    func next() -> UInt64 { value.add(1, ordering: .relaxed).newValue }
}
