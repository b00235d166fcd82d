import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// One request/response on a fresh connection, bounded in time and in body bytes kept.
/// With a `CancellationFlag`, every blocking wait lasts at most one
/// `CancellationFlag.pollNanoseconds` slice and the flag is looked at between slices: a
/// cancelled exchange gives up (and closes its socket) within about a slice.
struct HTTPCheckExchange {
    struct Response: Equatable {
        var status: Int
        var body: [UInt8]
    }

    let address: SocketAddress
    let method: HTTPMethod
    let deadlineNanoseconds: UInt64
    let bodyBytesMax: Int
    let cancellation: CancellationFlag?
    private let clock = MonotonicClock()

    init(
        address: SocketAddress, method: HTTPMethod, deadlineNanoseconds: UInt64,
        bodyBytesMax: Int, cancellation: CancellationFlag? = nil
    ) {
        self.address = address
        self.method = method
        self.deadlineNanoseconds = deadlineNanoseconds
        self.bodyBytesMax = bodyBytesMax
        self.cancellation = cancellation
    }

    private var canceledFailure: CheckFailure { CheckFailure("check canceled: the agent stopped") }

    private var timeoutFailure: CheckFailure {
        CheckFailure("context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
    }

    private func remainingMilliseconds() -> Int? {
        let now = clock.nowNanoseconds()
        guard now < deadlineNanoseconds else { return nil }
        return Int(max(1, (deadlineNanoseconds - now) / 1_000_000))
    }

    /// How long the next blocking wait may last: the time left, cut to one slice when the
    /// exchange can be cancelled.
    private func waitMilliseconds(_ remaining: Int) -> Int {
        cancellation == nil ? remaining : CancellationFlag.sliceMilliseconds(remaining)
    }

    mutating func perform(_ request: [UInt8]) -> Result<Response, CheckFailure> {
        guard let connectMilliseconds = remainingMilliseconds() else {
            return .failure(timeoutFailure)
        }
        let socket: Socket
        do {
            socket = try Socket.connectTCP(
                address, timeoutMilliseconds: connectMilliseconds, cancellation: cancellation)
        } catch {
            if error == .canceled { return .failure(canceledFailure) }
            return .failure(CheckFailure("dial tcp \(address): \(HostResolver.dialError(error))"))
        }
        defer { socket.close() }
        if let failure = send(request, on: socket) { return .failure(failure) }
        return readResponse(socket)
    }

    /// Writes the whole request, one bounded wait at a time; nil once it is all sent.
    private func send(_ request: [UInt8], on socket: Socket) -> CheckFailure? {
        var offset = 0
        while offset < request.count {
            if cancellation?.isCancelled == true { return canceledFailure }
            guard let milliseconds = remainingMilliseconds() else { return timeoutFailure }
            do throws(Errno) {
                try socket.setSendTimeout(milliseconds: waitMilliseconds(milliseconds))
                let outcome = try request.withBytes { (bytes) throws(Errno) in
                    try socket.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
                if case .done(let count) = outcome { offset += count }
            } catch {
                return CheckFailure("write: \(error)")
            }
        }
        return nil
    }

    private func readResponse(_ socket: Socket) -> Result<Response, CheckFailure> {
        var parser = HTTPResponseParser(limits: HTTPCheckExecutor.limits, requestMethod: method)
        var pending: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        var status: Int?
        var body: [UInt8] = []
        while true {
            // Drain every event the buffered bytes hold.
            while true {
                let step: ParseStep<HTTPResponseEvent>
                do throws(HTTPParseError) {
                    step = try pending.withBytes { (bytes) throws(HTTPParseError) in
                        try parser.parse(bytes)
                    }
                } catch {
                    return .failure(CheckFailure("malformed HTTP response: \(error.reason)"))
                }
                guard case .complete(let event, let consumed) = step else {
                    pending.removeFirst(step.consumed)
                    break
                }
                pending.removeFirst(consumed)
                switch event {
                case .head(let head): status = head.status
                case .bodyChunk(let bytes):
                    body.append(contentsOf: bytes.prefix(bodyBytesMax - body.count))
                case .end: return finish(status, body)
                }
                if status != nil && body.count >= bodyBytesMax { return finish(status, body) }
            }
            if cancellation?.isCancelled == true { return .failure(canceledFailure) }
            guard let milliseconds = remainingMilliseconds() else {
                return .failure(timeoutFailure)
            }
            let outcome: IOOutcome<Int>
            do throws(Errno) {
                try socket.setReceiveTimeout(milliseconds: waitMilliseconds(milliseconds))
                outcome = try scratch.withMutableBytes { (buffer) throws(Errno) in
                    try socket.read(into: buffer)
                }
            } catch {
                return .failure(CheckFailure("read: \(HostResolver.dialError(error))"))
            }
            // Nothing within the wait: the deadline or the flag is looked at again above.
            guard case .done(let count) = outcome else { continue }
            if count == 0 {
                let last = try? parser.finishOnEOF()
                if last == .end || (status != nil && last == nil) { return finish(status, body) }
                return .failure(CheckFailure("EOF"))
            }
            pending.append(contentsOf: scratch[..<count])
        }
    }

    private func finish(_ status: Int?, _ body: [UInt8]) -> Result<Response, CheckFailure> {
        guard let status else { return .failure(CheckFailure("EOF")) }
        return .success(Response(status: status, body: body))
    }
}
