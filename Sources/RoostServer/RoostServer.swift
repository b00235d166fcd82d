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
        let client: SocketAddress
        do {
            client = try SocketAddress.parse(configuration.clientAddress)
        } catch {
            throw .badAddress(flag: "--listen-client", value: configuration.clientAddress)
        }
        let directory = configuration.dataDirectory
        do {
            _ = try File.makeDirectories(directory)
        } catch {
            throw .recovery("cannot create data directory \(directory): \(error)")
        }
        let identity = try MemberIdentityFile.loadOrCreate(
            directory: directory, name: configuration.name,
            peerURL: "http://" + configuration.peerAddress)
        let (keySpace, driver) = try recover(identity: identity, onFatal: onFatal)
        let loops: EventLoopGroup
        do {
            loops = try EventLoopGroup(
                loopCount: configuration.eventLoopCount, namePrefix: "roost-http")
        } catch {
            driver.stop()
            throw .loops(error)
        }
        let http = HTTPServer(
            group: loops, handler: Router(keySpace: keySpace),
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
        keySpace.update {
            $0.clientURLs = [bound]
            $0.peerURLs = ["http://" + configuration.peerAddress]
        }
        self.loops = loops
        self.http = http
        self.driver = driver
    }

    private func recover(
        identity: MemberIdentity, onFatal: @escaping @Sendable (String) -> Void
    ) throws(ServerError) -> (ServerKeySpace, RaftDriver) {
        let storage: DiskStorage
        do {
            storage = try DiskStorage.open(
                directory: configuration.dataDirectory,
                bootstrap: ConfState(voters: [identity.memberID]))
        } catch {
            throw .storage(error)
        }
        let snapshot: Snapshot
        var store = MVCCStore()
        do {
            snapshot = try storage.snapshot()
            if snapshot.metadata.index > 0 { store = try MVCCStore.decodeSnapshot(snapshot.data) }
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
        let keySpace = ServerKeySpace(identity: identity, store: store)
        keySpace.update {
            $0.lastIndex = (try? storage.lastIndex()) ?? 0
            $0.appliedIndex = snapshot.metadata.index
            $0.snapshotBytes = Int64(snapshot.data.count)
            $0.logBytes = Int64(storage.walSegmentCount * WALOptions().segmentBytes)
        }
        let driver = RaftDriver(
            core: core, storage: storage, applied: snapshot.metadata.index,
            imageBytes: Int64(snapshot.data.count), keySpace: keySpace,
            configuration: configuration,
            send: { _ in },
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
        http?.shutdown()
        driver?.stop()
        loops?.shutdown()
        http = nil
        driver = nil
        loops = nil
    }
}
