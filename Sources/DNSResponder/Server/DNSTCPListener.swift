import Platform

/// The loop's TCP listener (one per loop on the same port, SO_REUSEPORT).
final class DNSTCPListener: IOHandler {
    /// Accepts per readiness event, so a connection storm cannot starve the loop.
    static let acceptsPerWakeMax = 64
    /// How long accepting pauses when the process is out of descriptors: the listener
    /// stays readable meanwhile, so retrying at once would spin the loop.
    static let acceptPauseNanoseconds: UInt64 = 100_000_000

    let socket: Socket
    unowned let owner: DNSLoopServer
    /// Deregistered while accepting is paused.
    private var isPaused = false

    init(socket: Socket, owner: DNSLoopServer) {
        self.socket = socket
        self.owner = owner
    }

    func handleIO(_ event: IOEvent) {
        for _ in 0..<Self.acceptsPerWakeMax {
            guard !socket.isClosed else { return }
            let outcome: IOOutcome<Socket>
            do {
                outcome = try socket.accept()
            } catch {
                pause()  // EMFILE, ENFILE, ENOBUFS
                return
            }
            guard case .done(let connection) = outcome else { return }
            owner.admit(connection)
        }
    }

    private func pause() {
        owner.loop.deregister(socket.fileDescriptor)
        isPaused = true
        scheduleResume()
    }

    private func scheduleResume() {
        owner.loop.schedule(afterNanoseconds: Self.acceptPauseNanoseconds) { [weak self] in
            guard let self, self.isPaused, !self.socket.isClosed else { return }
            do {
                try self.owner.loop.register(
                    self.socket.fileDescriptor, interest: .readable, handler: self)
                self.isPaused = false
            } catch {
                self.scheduleResume()
            }
        }
    }

    func close() {
        guard !socket.isClosed else { return }
        if !isPaused { owner.loop.deregister(socket.fileDescriptor) }
        socket.close()
    }
}
