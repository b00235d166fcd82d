import Platform

/// Runs HTTP checks (Consul `CheckHTTP`): one request, any 2xx is passing, 429 warning,
/// anything else critical. Output: `HTTP GET <url>: 200 OK Output: <body>`. Blocking: run
/// it on a worker thread, never on an event loop. An exchange still under way when
/// `cancellation` is set is abandoned and its socket closed.
///
/// Differences from Consul: `http://` only (no TLS client), no redirects are followed, and
/// the body kept is its first `outputBytesMax` bytes (Consul keeps the last ones), which
/// lets the executor stop reading a large body early.
public struct HTTPCheckExecutor: Sendable {
    /// Consul's default check timeout.
    public static let timeoutDefaultNanoseconds: Int64 = 10_000_000_000
    /// Consul's `HttpUserAgent`.
    public static let userAgent = "Consul Health Check"
    /// Bounds on the response head, which this executor reads from an arbitrary server.
    static let limits = HTTPLimits()

    public init() {}

    public func run(
        _ definition: CheckDefinition, cancellation: CancellationFlag? = nil
    ) -> CheckResult {
        let method = definition.method.isEmpty ? "GET" : definition.method.uppercased()
        let timeout =
            definition.timeoutNanoseconds > 0
            ? definition.timeoutNanoseconds : Self.timeoutDefaultNanoseconds
        let url: CheckURL
        switch CheckURL.parse(definition.http) {
        case .success(let parsed): url = parsed
        case .failure(let failure): return critical(method, definition.http, failure)
        }
        let address: SocketAddress
        switch HostResolver.resolve(host: url.host, port: url.port) {
        case .success(let resolved): address = resolved
        case .failure(let failure):
            return critical(method, definition.http, CheckFailure("dial tcp: \(failure.message)"))
        }
        let request = Self.request(method: method, url: url, definition: definition)
        var exchange = HTTPCheckExchange(
            address: address, method: HTTPMethod.named(method),
            deadlineNanoseconds: MonotonicClock().nowNanoseconds() + UInt64(timeout),
            bodyBytesMax: definition.outputBytesMax, cancellation: cancellation)
        switch exchange.perform(request) {
        case .failure(let failure): return critical(method, definition.http, failure)
        case .success(let response):
            let reason = HTTPStatus.code(response.status).reason
            let body = String(decoding: response.body, as: UTF8.self)
            let output =
                "HTTP \(method) \(definition.http): \(response.status) \(reason) Output: \(body)"
            return CheckResult(status: Self.status(forCode: response.status), output: output)
        }
    }

    /// 2xx passing, 429 warning (Consul ≥ 1.0), else critical.
    static func status(forCode code: Int) -> HealthStatus {
        if (200...299).contains(code) { return .passing }
        return code == 429 ? .warning : .critical
    }

    /// Go's `*url.Error` wording: `Get "http://…": dial tcp …: connect: connection refused`.
    private func critical(_ method: String, _ url: String, _ failure: CheckFailure) -> CheckResult {
        let operation = method.prefix(1) + method.dropFirst().lowercased()
        return CheckResult(status: .critical, output: "\(operation) \"\(url)\": \(failure.message)")
    }

    static func request(method: String, url: CheckURL, definition: CheckDefinition) -> [UInt8] {
        var headers = HTTPHeaders()
        let custom = definition.header
        let hostOverride = custom.first { $0.key.lowercased() == "host" }?.value.first
        headers.add(name: "Host", value: hostOverride ?? url.authority)
        if !custom.keys.contains(where: { $0.lowercased() == "user-agent" }) {
            headers.add(name: "User-Agent", value: userAgent)
        }
        if !custom.keys.contains(where: { $0.lowercased() == "accept" }) {
            headers.add(name: "Accept", value: "text/plain, text/*, */*")
        }
        for name in sortedKeys(custom) where Self.sendable(name) {
            for value in custom[name] ?? [] { headers.add(name: name, value: value) }
        }
        headers.add(name: "Connection", value: "close")
        var bytes: [UInt8] = []
        HTTPResponseEncoder.request(
            method: HTTPMethod.named(method), target: url.target, headers: headers,
            body: Array(definition.body.utf8), into: &bytes)
        return bytes
    }

    /// Headers the executor owns (framing, Host, Connection) or that are not tokens.
    private static func sendable(_ name: String) -> Bool {
        let owned = ["host", "content-length", "transfer-encoding", "connection"]
        guard !owned.contains(name.lowercased()), !name.isEmpty else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension HTTPMethod {
    /// The method for an upper-case name.
    static func named(_ name: String) -> HTTPMethod {
        switch name {
        case "GET": .get
        case "HEAD": .head
        case "POST": .post
        case "PUT": .put
        case "DELETE": .delete
        case "OPTIONS": .options
        case "PATCH": .patch
        default: .other(name)
        }
    }
}
