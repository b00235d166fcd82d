/// A small blocking HTTP/1.1 client for command-line tools, agents and tests. One
/// connection per client, kept alive between requests; never used on an event loop.
public final class HTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case connect(SocketAddress, Errno)
        case io(Errno)
        /// No progress within the client's timeout, which it names.
        case timedOut(milliseconds: Int)
        case closedEarly
        case malformed(HTTPParseError)
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .connect(let address, let error): return "cannot connect to \(address): \(error)"
            case .io(let error): return "connection failed: \(error)"
            case .timedOut(let milliseconds):
                return "no answer from the server within \(milliseconds) ms"
            case .closedEarly: return "the server closed the connection before answering"
            case .malformed(let error): return "malformed response: \(error.reason)"
            case .tooLarge(let limit): return "response larger than \(limit) bytes"
            }
        }
    }

    /// Largest response body this client buffers; streaming reads have no total bound.
    public static let responseBytesMax = 512 * 1024 * 1024

    public let address: SocketAddress
    public let hostHeader: String
    /// How long a read may wait for the server; 0 waits forever (a watch stream).
    /// Applied to every request, so a kept-alive socket never keeps another's timeout.
    public var timeoutMilliseconds: Int
    /// How long connecting may take, independent of the read timeout.
    public var connectTimeoutMilliseconds: Int
    private var socket: Socket?
    private var pending = ByteQueue()
    /// Whether any byte of the current response arrived: only a request that got none on
    /// a reused connection is retried (the server closed it while idle); anything else
    /// may have been acted on and is the caller's to decide.
    private var responseStarted = false
    /// The server said `Connection: close`: the next request needs a new connection.
    private var closeAfterResponse = false
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    public init(address: SocketAddress, timeoutMilliseconds: Int = 10_000) {
        self.address = address
        self.hostHeader = address.description
        self.timeoutMilliseconds = timeoutMilliseconds
        self.connectTimeoutMilliseconds =
            timeoutMilliseconds > 0 ? min(timeoutMilliseconds, 10_000) : 10_000
    }

    deinit { socket?.close() }

    public func close() {
        socket?.close()
        socket = nil
        pending = ByteQueue()
    }

    /// Sends one request and reads the whole response.
    public func send(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) throws(Failure) -> Response {
        var status = 0
        var responseHeaders = HTTPHeaders()
        var collected: [UInt8] = []
        var tooLarge = false
        try stream(method, target, headers: headers, body: body) { event in
            switch event {
            case .head(let head):
                status = head.status
                responseHeaders = head.headers
                collected.removeAll()
            case .bodyChunk(let bytes):
                if collected.count + bytes.count > HTTPClient.responseBytesMax {
                    tooLarge = true
                    return false
                }
                collected.append(contentsOf: bytes)
            case .end:
                break
            }
            return true
        }
        if tooLarge { throw .tooLarge(limit: HTTPClient.responseBytesMax) }
        return Response(status: status, headers: responseHeaders, body: collected)
    }

    /// Sends one request and hands each response event to `onEvent` as it arrives;
    /// `onEvent` returns false to stop reading (the connection is then closed).
    public func stream(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        onEvent: (HTTPResponseEvent) -> Bool
    ) throws(Failure) {
        let reused = socket != nil
        responseStarted = false
        do {
            try write(method, target, headers: headers, body: body)
            try read(method: method, onEvent: onEvent)
        } catch .closedEarly where reused && !responseStarted {
            // A kept-alive connection the server had closed: retry once on a fresh one.
            close()
            try write(method, target, headers: headers, body: body)
            try read(method: method, onEvent: onEvent)
        }
        if closeAfterResponse { close() }
    }

    private func connected() throws(Failure) -> Socket {
        if let socket { return socket }
        let fresh: Socket
        do {
            fresh = try Socket.connectTCP(address, timeoutMilliseconds: connectTimeoutMilliseconds)
        } catch {
            throw .connect(address, error)
        }
        do {
            try fresh.setNoDelay()
        } catch {
            fresh.close()
            throw .io(error)
        }
        socket = fresh
        return fresh
    }

    private func write(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders, body: [UInt8]
    ) throws(Failure) {
        var request: [UInt8] = []
        HTTPResponseEncoder.request(
            method: method, target: target, headers: withHost(headers), body: body,
            into: &request)
        try write(request)
    }

    /// `headers` after the `Host` field every request carries (RFC 9112 §3.2).
    func withHost(_ headers: HTTPHeaders) -> HTTPHeaders {
        var allHeaders = HTTPHeaders()
        allHeaders.add(name: "Host", value: hostHeader)
        for (name, value) in headers { allHeaders.add(name: name, value: value) }
        return allHeaders
    }

    /// Writes `request` bytes, connecting first when needed.
    func write(_ request: [UInt8]) throws(Failure) {
        let socket = try connected()
        closeAfterResponse = false
        do {
            try socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
        } catch {
            close()
            throw .io(error)
        }
        var offset = 0
        while offset < request.count {
            let outcome: IOOutcome<Int>
            do {
                outcome = try request.withBytes { (whole) throws(Errno) in
                    try socket.write(UnsafeRawBufferPointer(rebasing: whole[offset...]))
                }
            } catch {
                close()
                throw error == .brokenPipe || error == .connectionReset ? .closedEarly : .io(error)
            }
            guard case .done(let written) = outcome else {
                close()
                throw .timedOut(milliseconds: timeoutMilliseconds)
            }
            offset += written
        }
    }

    private func read(method: HTTPMethod, onEvent: (HTTPResponseEvent) -> Bool) throws(Failure) {
        var parser = HTTPResponseParser(requestMethod: method)
        var sawHead = false
        try read(&parser, sawHead: &sawHead, closesWhenStopped: true, onEvent: onEvent)
    }

    /// Reads events of the response `parser` is in until the end, or until `onEvent`
    /// returns false: then the connection closes, unless `closesWhenStopped` is false (a
    /// duplex exchange reads its answers a few at a time).
    func read(
        _ parser: inout HTTPResponseParser, sawHead: inout Bool, closesWhenStopped: Bool,
        onEvent: (HTTPResponseEvent) -> Bool
    ) throws(Failure) {
        while true {
            // The parser reports one event per call and may have one ready with no new
            // input (the end after the last body byte), so call it until it needs bytes.
            parsing: while true {
                let step: ParseStep<HTTPResponseEvent>
                do {
                    step = try pending.withUnsafeBytes { (bytes) throws(HTTPParseError) in
                        try parser.parse(bytes)
                    }
                } catch {
                    close()
                    throw .malformed(error)
                }
                switch step {
                case .needMoreBytes(let consumed):
                    pending.removeFirst(consumed)
                    break parsing
                case .complete(let event, let consumed):
                    pending.removeFirst(consumed)
                    if case .head(let head) = event {
                        sawHead = true
                        closeAfterResponse =
                            head.headers.first("Connection")?.lowercased() == "close"
                    }
                    let keepGoing = onEvent(event)
                    if case .end = event { return }
                    if !keepGoing {
                        if closesWhenStopped { close() }
                        return
                    }
                }
            }
            let count = try receive()
            if count == 0 {
                close()
                if sawHead, let last = try? parser.finishOnEOF() {
                    _ = onEvent(last)
                    return
                }
                throw .closedEarly
            }
        }
    }

    private func receive() throws(Failure) -> Int {
        let socket = try connected()
        let outcome: IOOutcome<Int>
        do {
            outcome = try scratch.withMutableBytes { (buffer) throws(Errno) in
                try socket.read(into: buffer)
            }
        } catch {
            close()
            throw error == .connectionReset ? .closedEarly : .io(error)
        }
        guard case .done(let count) = outcome else {
            close()
            throw .timedOut(milliseconds: timeoutMilliseconds)
        }
        if count > 0 { responseStarted = true }
        scratch.withUnsafeBytes { pending.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        return count
    }
}
