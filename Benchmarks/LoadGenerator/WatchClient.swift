import Platform

/// One watch stream: a `POST /v3/watch` creating `--watchers-per-stream` watchers on the
/// benchmark key prefix, then a stream of newline-delimited results read line by line.
/// Loop thread only.
final class WatchClient {
    /// Longest response line kept while waiting for its newline; a watch response with
    /// one 256-byte event is under 1 KiB, and etcd batches many events into one line.
    static let lineBytesMax = 64 * 1024 * 1024

    private unowned let worker: BenchWorker
    private let connection: ClientConnection
    private var partialLine: [UInt8] = []

    init(worker: BenchWorker, connection: ClientConnection) {
        self.worker = worker
        self.connection = connection
        connection.onEvent = { [unowned self] event in self.handle(event) }
        connection.onFailure = { [unowned self] reason in
            self.worker.stats.noteFailure("watch: \(reason)")
        }
    }

    func start() {
        let shared = worker.shared
        connection.send(
            RequestTemplate.watch(host: shared.host, watchers: shared.options.watchersPerStream))
    }

    func close() {
        connection.close()
    }

    private func handle(_ event: HTTPResponseEvent) {
        switch event {
        case .head(let head):
            if head.status != 200 {
                worker.stats.noteFailure("watch answered \(head.status)")
                connection.close()
            }
        case .bodyChunk(let bytes):
            receive(bytes)
        case .end:
            worker.stats.noteFailure("watch stream ended")
            connection.close()
        }
    }

    private func receive(_ bytes: [UInt8]) {
        let now = worker.clock.nowNanoseconds()
        if partialLine.isEmpty, bytes.last == 0x0A {
            bytes.withUnsafeBytes { splitLines($0, now) }
            return
        }
        partialLine.append(contentsOf: bytes)
        guard let lastNewline = partialLine.lastIndex(of: 0x0A) else {
            if partialLine.count > Self.lineBytesMax {
                worker.stats.noteFailure("watch line over \(Self.lineBytesMax) bytes")
                connection.close()
            }
            return
        }
        partialLine.withUnsafeBytes {
            splitLines(UnsafeRawBufferPointer(rebasing: $0[...lastNewline]), now)
        }
        partialLine.removeSubrange(...lastNewline)
    }

    private func splitLines(_ bytes: UnsafeRawBufferPointer, _ now: UInt64) {
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            if index > start {
                process(UnsafeRawBufferPointer(rebasing: bytes[start..<index]), now)
            }
            start = index + 1
        }
    }

    private func process(_ line: UnsafeRawBufferPointer, _ now: UInt64) {
        let scanned = WatchEventScanner.scan(line)
        if scanned.created {
            worker.stats.watchersCreated += 1
            worker.shared.watchersCreated.add(1, ordering: .relaxed)
        }
        if scanned.canceled { worker.stats.noteFailure("a watcher was canceled") }
        let window = worker.window
        for case let stamp? in scanned.stamps
        where stamp >= window.startNanoseconds && stamp <= window.endNanoseconds {
            worker.stats.events += 1
            worker.stats.eventLatency.record(now > stamp ? now - stamp : 0)
        }
    }
}
