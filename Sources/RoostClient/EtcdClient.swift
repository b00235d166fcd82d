import Platform

/// A client of Roost's etcd v3 JSON gateway (and so of etcd's). Endpoints are tried in
/// order; a connection failure moves on to the next, an answer (even an error) does not.
public final class EtcdClient {
    public let endpoints: [Endpoint]
    public let timeoutMilliseconds: Int
    private var clients: [HTTPClient?]
    private var preferred = 0

    public init(endpoints: [Endpoint], timeoutMilliseconds: Int = 10_000) {
        precondition(!endpoints.isEmpty, "a client needs at least one endpoint")
        self.endpoints = endpoints
        self.timeoutMilliseconds = timeoutMilliseconds
        self.clients = Array(repeating: nil, count: endpoints.count)
    }

    /// `POST /v3/<route>` with a JSON body; returns the decoded JSON answer. Only an
    /// `idempotent` request (a read) is retried on another endpoint after it was sent.
    public func call(
        _ route: String, _ body: [UInt8], idempotent: Bool = false
    ) throws(ClientError) -> JSONObject {
        let response = try send(.post, "/v3/" + route, body: body, idempotent: idempotent)
        return try EtcdClient.decode(response)
    }

    /// `GET <path>` (e.g. `/version`, `/health`).
    public func get(_ path: String) throws(ClientError) -> HTTPClient.Response {
        try send(.get, path, body: [], idempotent: true)
    }

    /// Streams `POST /v3/<route>`: `onResult` gets each `result` object and returns false
    /// to stop. A stream error object ends the call with `.server`.
    public func stream(
        _ route: String, _ body: [UInt8], timeoutMilliseconds: Int? = nil,
        onResult: (JSONObject) -> Bool
    ) throws(ClientError) {
        var failure: ClientError?
        var reader = EtcdStreamReader()
        try withEndpoint(idempotent: false) { client throws(HTTPClient.Failure) in
            if let timeoutMilliseconds { client.timeoutMilliseconds = timeoutMilliseconds }
            defer { client.timeoutMilliseconds = self.timeoutMilliseconds }
            try client.stream(.post, "/v3/" + route, headers: EtcdClient.jsonHeaders, body: body) {
                event in
                reader.take(event) { line in
                    switch line {
                    case .result(let object): return onResult(object)
                    case .failure(let error):
                        failure = error
                        return false
                    case .skip: return true
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    static let jsonHeaders: HTTPHeaders = {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return headers
    }()

    /// One request to the preferred endpoint (failing over as `withEndpoint` allows);
    /// the raw answer, whatever its status. The Consul methods decode it their own way.
    func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8], idempotent: Bool
    ) throws(ClientError) -> HTTPClient.Response {
        var response: HTTPClient.Response?
        try withEndpoint(idempotent: idempotent) { client throws(HTTPClient.Failure) in
            response = try client.send(method, path, headers: EtcdClient.jsonHeaders, body: body)
        }
        guard let response else { throw .protocolError("no response") }
        return response
    }

    /// Runs `body` against the preferred endpoint, moving on when it cannot connect (or,
    /// for an `idempotent` request, when the connection failed after sending).
    func withEndpoint(
        idempotent: Bool, _ body: (HTTPClient) throws(HTTPClient.Failure) -> Void
    ) throws(ClientError) {
        var reasons: [String] = []
        for attempt in 0..<endpoints.count {
            let index = (preferred + attempt) % endpoints.count
            let client =
                clients[index]
                ?? HTTPClient(
                    address: endpoints[index].address,
                    timeoutMilliseconds: timeoutMilliseconds)
            clients[index] = client
            do {
                try body(client)
                preferred = index
                return
            } catch {
                switch error {
                case .connect:
                    reasons.append("\(endpoints[index]): \(error)")
                    continue
                case .closedEarly, .io:
                    // The request was sent: retrying elsewhere could apply a write twice
                    // or replay a watch, so only idempotent requests move on.
                    guard idempotent else {
                        throw .unreachable(
                            "\(endpoints[index]): \(error); the request may or may not have "
                                + "taken effect")
                    }
                    reasons.append("\(endpoints[index]): \(error)")
                    continue
                case .timedOut:
                    throw .unreachable("\(endpoints[index]): \(error)")
                case .malformed, .tooLarge:
                    throw .protocolError("\(endpoints[index]): \(error)")
                }
            }
        }
        throw .unreachable("no endpoint answered (" + reasons.joined(separator: "; ") + ")")
    }

    static func decode(_ response: HTTPClient.Response) throws(ClientError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(response.body)
        } catch {
            if response.status != 200 {
                throw .server(
                    status: response.status, code: 0,
                    message: response.bodyText.trimmingWhitespace())
            }
            throw .protocolError("invalid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw .protocolError("expected a JSON object")
        }
        if response.status != 200 {
            let message =
                object["message"]?.stringValue ?? object["error"]?.stringValue
                ?? "HTTP \(response.status)"
            let code = Int(object["code"]?.int64Value ?? 0)
            throw .server(status: response.status, code: code, message: message)
        }
        return object
    }

    enum StreamLine {
        case result(JSONObject)
        case failure(ClientError)
        case skip
    }

    static func streamLine(_ line: [UInt8], status: Int) -> StreamLine {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { return .skip }
        guard let value = try? JSONParser.parse(line), case .object(let object) = value else {
            return .failure(.protocolError("invalid stream line"))
        }
        if let result = object["result"]?.objectValue { return .result(result) }
        if let error = object["error"]?.objectValue {
            let message = error["message"]?.stringValue ?? "stream failed"
            let code = Int(error["grpc_code"]?.int64Value ?? 0)
            return .failure(
                .server(
                    status: Int(error["http_code"]?.int64Value ?? 0), code: code, message: message))
        }
        if status != 200 {
            let message = object["message"]?.stringValue ?? "HTTP \(status)"
            return .failure(
                .server(
                    status: status, code: Int(object["code"]?.int64Value ?? 0), message: message))
        }
        return .skip
    }
}

/// Splits a byte stream into newline-terminated lines, keeping a partial tail.
struct NewlineSplitter {
    /// A single stream line larger than this is a broken server, not a big value:
    /// etcd's request limit keeps real responses far below it.
    static let lineBytesMax = 64 * 1024 * 1024
    private var partial: [UInt8] = []

    mutating func push(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == 0x0A {
                lines.append(partial)
                partial.removeAll(keepingCapacity: true)
            } else if partial.count < NewlineSplitter.lineBytesMax {
                partial.append(byte)
            }
        }
        return lines
    }

    /// What is left without a final newline (etcd's stream error has none).
    mutating func finish() -> [UInt8]? {
        defer { partial.removeAll() }
        return partial.isEmpty ? nil : partial
    }
}
