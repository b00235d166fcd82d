import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// One request/response on a fresh connection, bounded in time and in body bytes kept.
struct HTTPCheckExchange {
    struct Response: Equatable {
        var status: Int
        var body: [UInt8]
    }

    let address: SocketAddress
    let method: HTTPMethod
    let deadlineNanoseconds: UInt64
    let bodyBytesMax: Int
    private let clock = MonotonicClock()

    init(address: SocketAddress, method: HTTPMethod, deadlineNanoseconds: UInt64, bodyBytesMax: Int)
    {
        self.address = address
        self.method = method
        self.deadlineNanoseconds = deadlineNanoseconds
        self.bodyBytesMax = bodyBytesMax
    }

    private var timeoutFailure: CheckFailure {
        CheckFailure("context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
    }

    private func remainingMilliseconds() -> Int? {
        let now = clock.nowNanoseconds()
        guard now < deadlineNanoseconds else { return nil }
        return Int(max(1, (deadlineNanoseconds - now) / 1_000_000))
    }

    mutating func perform(_ request: [UInt8]) -> Result<Response, CheckFailure> {
        guard let connectMilliseconds = remainingMilliseconds() else {
            return .failure(timeoutFailure)
        }
        let socket: Socket
        do {
            socket = try Socket.connectTCP(address, timeoutMilliseconds: connectMilliseconds)
        } catch {
            return .failure(CheckFailure("dial tcp \(address): \(HostResolver.dialError(error))"))
        }
        defer { socket.close() }
        do throws(Errno) {
            try socket.setSendTimeout(milliseconds: connectMilliseconds)
            try request.withBytes { (bytes) throws(Errno) in try socket.writeAll(bytes) }
        } catch {
            return .failure(error == .timedOut ? timeoutFailure : CheckFailure("write: \(error)"))
        }
        return readResponse(socket)
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
            guard let milliseconds = remainingMilliseconds() else {
                return .failure(timeoutFailure)
            }
            let outcome: IOOutcome<Int>
            do throws(Errno) {
                try socket.setReceiveTimeout(milliseconds: milliseconds)
                outcome = try scratch.withMutableBytes { (buffer) throws(Errno) in
                    try socket.read(into: buffer)
                }
            } catch {
                return .failure(CheckFailure("read: \(HostResolver.dialError(error))"))
            }
            guard case .done(let count) = outcome else { return .failure(timeoutFailure) }
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
