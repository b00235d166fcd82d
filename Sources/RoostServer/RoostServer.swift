import DiscoveryHTTP
import Foundation
import KVStore
import Platform
import Raft
import Synchronization

/// One `roost server` process: recovery, the commit driver, the HTTP front end, and an
/// orderly stop.
public final class RoostServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    private var loops: EventLoopGroup?
    private var http: HTTPServer?
    private var driver: RaftDriver?
    private var transport: PeerTransport?
    /// The one loop the Raft driver and the peer transport share (`RaftDriver`).
    private var raftLoops: EventLoopGroup?
    var discovery: Discovery?
    /// The leader's cluster-wide duties; runs with or without the agent.
    private var housekeeping: LeaderHousekeeping?
    private let fatal = Mutex<String?>(nil)

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// Where the client API listens (the real port when configured with port 0).
    public var clientAddress: SocketAddress? { http?.boundAddress }

    /// Set when the server had to stop because of a storage failure.
    public var fatalReason: String? { fatal.withLock { $0 } }

    /// Recovers state and starts serving. Returns once the client port accepts.
    public func start(onFatal: @escaping @Sendable (String) -> Void) throws(ServerError) {
        let client = try RoostServer.address(configuration.clientAddress, flag: "--listen-client")
        let peer = try RoostServer.address(configuration.peerAddress, flag: "--listen-peer")
        guard ClusterConfiguration.validName(configuration.name) != nil else {
            throw .recovery(
                "--name '\(configuration.name)' must be 1 to \(MemberTableCodec.stringBytesMax) "
                    + "bytes with no spaces")
        }
        let directory = configuration.dataDirectory
        do {
            _ = try File.makeDirectories(directory)
        } catch {
            throw .recovery("cannot create data directory \(directory): \(error)")
        }
        let cluster = try ClusterConfiguration.parse(
            configuration.initialCluster
                ?? "\(configuration.name)=http://\(configuration.peerAddress)",
            token: configuration.initialClusterToken)
        let file = try MemberIdentityFile.loadOrCreate(
            directory: directory, name: configuration.name, cluster: cluster)
        let identity = MemberIdentity(
            clusterID: file.clusterID, memberID: file.memberID, raftTerm: 0,
            name: configuration.name)
        let inbox = DriverInbox()
        let raftLoops: EventLoopGroup
        do {
            raftLoops = try EventLoopGroup(loopCount: 1, namePrefix: "roost-raft")
        } catch {
            throw .loops(error)
        }
        self.raftLoops = raftLoops
        let transport: PeerTransport
        do {
            let log = PeerTransportLog()
            transport = try PeerTransport(
                localID: file.memberID, clusterID: file.clusterID, listen: peer,
                secret: configuration.peerSecret, loop: raftLoops.loops[0],
                logger: { log.write($0) }, onMessage: { inbox.deliver($0) })
        } catch {
            shutdownRaftLoops()
            throw .recovery("cannot listen for peers on \(configuration.peerAddress): \(error)")
        }
        // A start that fails from here on stops the transport before its loop (stopping a
        // transport waits for its loop).
        var started = false
        defer {
            if !started {
                transport.stop()
                shutdownRaftLoops()
            }
        }
        for member in file.members where member.id != file.memberID {
            guard let address = RoostServer.peerAddress(member.peerURL) else {
                throw .badAddress(flag: "--initial-cluster", value: member.peerURL)
            }
            transport.setPeer(member.id, address: address)
        }
        let voters =
            configuration.joinExisting ? [] : file.members.filter { !$0.isLearner }.map(\.id)
        let (keySpace, driver) = try recover(
            identity: identity, file: file, voters: voters, transport: transport,
            loop: raftLoops.loops[0], onFatal: onFatal)
        inbox.attach(driver)
        do {
            try transport.start()
        } catch {
            driver.stop()
            throw .recovery("cannot start the peer transport: \(error)")
        }
        try serveClients(at: client, keySpace: keySpace, driver: driver)
        keySpace.update { $0.peerURLs = ["http://\(transport.boundAddress)"] }
        let housekeeping = LeaderHousekeeping(keySpace: keySpace)
        housekeeping.start()
        self.housekeeping = housekeeping
        if let loops, configuration.runsAgent {
            do {
                try startDiscovery(keySpace: keySpace, loops: loops)
            } catch {
                transport.stop()
                stop()
                throw error
            }
        }
        RoostServer.refreshSelf(file.memberID, in: keySpace)
        self.transport = transport
        started = true
    }

    private func shutdownRaftLoops() {
        raftLoops?.shutdown()
        raftLoops = nil
    }

    private func serveClients(
        at client: SocketAddress, keySpace: ServerKeySpace, driver: RaftDriver
    ) throws(ServerError) {
        let loops: EventLoopGroup
        do {
            loops = try EventLoopGroup(
                loopCount: configuration.eventLoopCount, namePrefix: "roost-http")
        } catch {
            driver.stop()
            throw .loops(error)
        }
        let http = HTTPServer(
            group: loops,
            handler: Router(
                keySpace: keySpace, scriptChecksEnabled: configuration.enableScriptChecks),
            limits: RoostServer.httpLimits(descriptorLimit: DescriptorLimit.raiseToHardLimit()))
        do {
            try http.start(address: client)
        } catch {
            driver.stop()
            loops.shutdown()
            throw .listen(address: configuration.clientAddress, error)
        }
        let bound =
            http.boundAddress.map { "http://\($0)" } ?? "http://" + configuration.clientAddress
        keySpace.update { $0.clientURLs = [bound] }
        self.loops = loops
        self.http = http
        self.driver = driver
    }

    static func address(_ text: String, flag: String) throws(ServerError) -> SocketAddress {
        do {
            return try SocketAddress.parse(text)
        } catch {
            throw .badAddress(flag: flag, value: text)
        }
    }

    /// `http://host:port` with no trailing slash, or nil when it is not one.
    static func normalizedPeerURL(_ url: String) -> String? {
        var text = Substring(url)
        if text.hasPrefix("http://") { text = text.dropFirst("http://".count) }
        while text.hasSuffix("/") { text = text.dropLast() }
        guard (try? SocketAddress.parse(String(text))) != nil else { return nil }
        return "http://" + text
    }

    /// Driver thread, after an applied membership change: peers to dial, the member list
    /// clients see, and the `member` file a restart reads.
    static func membershipChanged(
        _ table: MemberTable, removedSelf: Bool, file: MemberIdentityFile, directory: String,
        transport: PeerTransport, keySpace: ServerKeySpace, onFatal: @Sendable (String) -> Void
    ) {
        if removedSelf {
            return onFatal("this member was removed from the cluster")
        }
        let known = Set(table.members.keys)
        for member in table.sorted where member.id != file.memberID {
            if let address = peerAddress(member.peerURL) {
                transport.setPeer(member.id, address: address)
            }
        }
        for member in file.members where !known.contains(member.id) {
            transport.removePeer(member.id)
        }
        publish(table, self: file.memberID, to: keySpace)
        var updated = file
        updated.members = table.sorted
        do {
            try updated.save(directory: directory)
        } catch {
            onFatal("\(error)")
        }
    }

    static func publish(_ table: MemberTable, self id: UInt64, to keySpace: ServerKeySpace) {
        keySpace.update { progress in
            progress.members = table.sorted.map {
                MemberInfo(
                    id: $0.id, name: $0.name,
                    peerURLs: $0.id == id ? progress.peerURLs : [$0.peerURL],
                    clientURLs: $0.id == id ? progress.clientURLs : $0.clientURLs,
                    isLearner: $0.isLearner)
            }
        }
    }

    /// This member's own URLs in the published list, once its listeners are bound (the
    /// driver may have published the table before they were).
    static func refreshSelf(_ id: UInt64, in keySpace: ServerKeySpace) {
        keySpace.update { progress in
            for index in progress.members.indices where progress.members[index].id == id {
                progress.members[index].peerURLs = progress.peerURLs
                progress.members[index].clientURLs = progress.clientURLs
            }
        }
    }

    static func peerAddress(_ url: String) -> SocketAddress? {
        var text = Substring(url)
        if text.hasPrefix("http://") { text = text.dropFirst("http://".count) }
        return try? SocketAddress.parse(String(text))
    }

    private func recover(
        identity: MemberIdentity, file: MemberIdentityFile, voters: [UInt64],
        transport: PeerTransport, loop: EventLoop,
        onFatal: @escaping @Sendable (String) -> Void
    ) throws(ServerError) -> (ServerKeySpace, RaftDriver) {
        let storage: DiskStorage
        do {
            storage = try DiskStorage.open(
                directory: configuration.dataDirectory,
                bootstrap: ConfState(voters: voters.sorted()))
        } catch {
            throw .storage(error)
        }
        let snapshot: Snapshot
        var store = MVCCStore()
        // The table as of the snapshot, replayed forward with the log like the key space;
        // without a snapshot (or with one of the older format) the `member` file's.
        var members = MemberTable(file.members)
        do {
            snapshot = try storage.snapshot()
            if snapshot.metadata.index > 0 {
                let (table, image) = try ServerSnapshotImage.decode(snapshot.data)
                store = image
                if let table { members = table }
            }
        } catch {
            storage.close()
            throw .recovery("the snapshot does not decode: \(error)")
        }
        var config = RaftConfig(id: identity.memberID, randomSeed: SeededGenerator.entropySeed())
        // The store holds everything up to the snapshot; the core hands out the
        // committed entries after it, which the driver applies before serving them.
        config.appliedIndex = snapshot.metadata.index
        let core: RaftCore
        do {
            core = try RaftCore(config: config, storage: storage)
        } catch {
            storage.close()
            throw .recovery("the raft state does not load: \(error)")
        }
        let keySpace = ServerKeySpace(
            identity: identity, store: store,
            wallClockMilliseconds: WallClock().nowUnixNanoseconds() / 1_000_000)
        keySpace.update {
            $0.lastIndex = (try? storage.lastIndex()) ?? 0
            $0.appliedIndex = snapshot.metadata.index
            $0.snapshotBytes = Int64(snapshot.data.count)
            $0.logBytes = Int64(storage.walSegmentCount * WALOptions().segmentBytes)
        }
        let driver = RaftDriver(
            core: core, storage: storage, applied: snapshot.metadata.index,
            imageBytes: Int64(snapshot.data.count), keySpace: keySpace,
            configuration: configuration, members: members, loop: loop,
            send: { transport.send($0) },
            onMembershipChange: { [configuration] table, removedSelf in
                RoostServer.membershipChanged(
                    table, removedSelf: removedSelf, file: file,
                    directory: configuration.dataDirectory, transport: transport,
                    keySpace: keySpace, onFatal: onFatal)
            },
            onFatal: { [self] reason in
                fatal.withLock { $0 = reason }
                onFatal(reason)
            })
        keySpace.attach(driver)
        driver.start()
        return (keySpace, driver)
    }

    /// Descriptors kept back from client connections: WAL segments, snapshot files,
    /// listeners, event loops and peer links.
    static let descriptorReserve = 256

    /// Client connections are capped below the open-file limit, so the 503 path (and
    /// not a failing `accept`) is what an overloaded server shows.
    static func httpLimits(descriptorLimit: Int) -> HTTPServerLimits {
        var limits = HTTPServerLimits()
        let available = max(16, descriptorLimit - descriptorReserve)
        limits.connectionsMax = min(limits.connectionsMax, available)
        return limits
    }

    /// Graceful stop: stop accepting, answer in-flight requests, end streams, flush the
    /// log, join every thread.
    public func stop() {
        discovery?.stop()
        discovery = nil
        // Before the driver: a sweep waiting for a write is told to stop, not left to time out.
        housekeeping?.stop()
        housekeeping = nil
        http?.shutdown()
        driver?.stop()
        transport?.stop()
        shutdownRaftLoops()
        loops?.shutdown()
        http = nil
        driver = nil
        transport = nil
        loops = nil
    }
}

/// Hands peer messages to the driver, which is created after the transport that
/// receives them.
final class DriverInbox: Sendable {
    private let driver = Mutex<RaftDriver?>(nil)

    func attach(_ driver: RaftDriver) {
        self.driver.withLock { $0 = driver }
    }

    func deliver(_ message: Message) {
        driver.withLock { $0 }?.receive(message)
    }
}
