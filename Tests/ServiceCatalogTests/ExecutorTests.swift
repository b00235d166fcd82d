import Platform
import Testing

@testable import ServiceCatalog

@Suite("Check executors", .serialized)
struct ExecutorTests {
    func httpCheck(_ server: LoopbackServer, path: String = "/health") -> CheckDefinition {
        CheckDefinition(
            http: "http://127.0.0.1:\(server.port)\(path)", intervalNanoseconds: 10_000_000_000,
            timeoutNanoseconds: 5_000_000_000)
    }

    @Test(
        "HTTP: 2xx passing, 429 warning, anything else critical, with Consul's output",
        arguments: [
            ("200 OK", HealthStatus.passing), ("204 No Content", .passing),
            ("429 Too Many Requests", .warning), ("503 Service Unavailable", .critical),
            ("404 Not Found", .critical),
        ])
    func httpStatus(status: String, expected: HealthStatus) throws {
        let body = status.hasPrefix("204") ? "" : "fine"
        let server = try LoopbackServer(
            response: LoopbackServer.response(status: status, body: body))
        defer { server.finish() }
        let definition = httpCheck(server)
        let result = HTTPCheckExecutor().run(definition)
        #expect(result.status == expected)
        #expect(result.output == "HTTP GET \(definition.http): \(status) Output: \(body)")
    }

    @Test("HTTP: method, headers, Host and the User-Agent reach the server")
    func httpRequest() throws {
        let server = try LoopbackServer(
            response: LoopbackServer.response(status: "200 OK", body: ""))
        var definition = httpCheck(server, path: "/h?x=1")
        definition.method = "post"
        definition.header = ["X-Token": ["a", "b"]]
        definition.body = "{}"
        let result = HTTPCheckExecutor().run(definition)
        server.finish()
        #expect(result.status == .passing)
        let request = server.request
        #expect(request.hasPrefix("POST /h?x=1 HTTP/1.1\r\n"))
        #expect(request.contains("Host: 127.0.0.1:\(server.port)\r\n"))
        #expect(request.contains("User-Agent: Consul Health Check\r\n"))
        #expect(request.contains("X-Token: a\r\nX-Token: b\r\n"))
        #expect(request.contains("Content-Length: 2\r\n"))
    }

    @Test("HTTP: the body kept is bounded by the output limit: at the limit whole, past it cut")
    func httpBodyBound() throws {
        for (size, kept) in [(16, 16), (17, 16)] {
            let body = String(repeating: "x", count: size)
            let server = try LoopbackServer(
                response: LoopbackServer.response(status: "200 OK", body: body))
            var definition = httpCheck(server)
            definition.outputMaxSize = 16
            let result = HTTPCheckExecutor().run(definition)
            server.finish()
            #expect(result.output.hasSuffix("Output: " + String(repeating: "x", count: kept)))
        }
    }

    @Test("HTTP: a refused connection is critical with Go's dial error")
    func httpRefused() throws {
        let port = try LoopbackServer.closedPort()
        let url = "http://127.0.0.1:\(port)/"
        let result = HTTPCheckExecutor().run(CheckDefinition(http: url, intervalNanoseconds: 1))
        #expect(result.status == .critical)
        #expect(
            result.output
                == "Get \"\(url)\": dial tcp 127.0.0.1:\(port): connect: connection refused")
    }

    @Test("HTTP: a server that never answers is critical after the timeout")
    func httpTimeout() throws {
        let server = try LoopbackServer(response: nil)
        defer { server.finish() }
        var definition = httpCheck(server)
        definition.timeoutNanoseconds = 200_000_000
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        let result = HTTPCheckExecutor().run(definition)
        let elapsed = clock.nowNanoseconds() - start
        #expect(result.status == .critical)
        #expect(result.output.contains("Client.Timeout exceeded"))
        #expect(elapsed >= 150_000_000 && elapsed < 5_000_000_000)
    }

    @Test("HTTP: https and malformed URLs are critical without a connection")
    func httpUnsupported() {
        let tls = HTTPCheckExecutor().run(CheckDefinition(http: "https://127.0.0.1:1/"))
        #expect(tls.status == .critical && tls.output.contains("HTTPS checks are not supported"))
        let bad = HTTPCheckExecutor().run(CheckDefinition(http: "http://127.0.0.1:notaport/"))
        #expect(bad.status == .critical)
    }

    @Test("HTTP URLs parse into host, port, Host header and origin-form target")
    func urls() throws {
        let cases: [(String, CheckURL)] = [
            (
                "http://example.com/x?y=1",
                CheckURL(host: "example.com", port: 80, authority: "example.com", target: "/x?y=1")
            ),
            (
                "http://u:p@10.0.0.1:8080",
                CheckURL(host: "10.0.0.1", port: 8080, authority: "10.0.0.1:8080", target: "/")
            ),
            (
                "http://[::1]:81/h#frag",
                CheckURL(host: "::1", port: 81, authority: "[::1]:81", target: "/h")
            ),
            ("HTTP://h?q", CheckURL(host: "h", port: 80, authority: "h", target: "/?q")),
        ]
        for (text, expected) in cases {
            #expect(try CheckURL.parse(text).get() == expected)
        }
    }

    @Test("TCP: a listening port is passing with 'TCP connect …: Success', a closed one critical")
    func tcp() throws {
        let listener = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        defer { listener.close() }
        let target = "127.0.0.1:\(try listener.localAddress().port)"
        let up = TCPCheckExecutor().run(CheckDefinition(tcp: target, intervalNanoseconds: 1))
        #expect(up == CheckResult(status: .passing, output: "TCP connect \(target): Success"))
        let port = try LoopbackServer.closedPort()
        let down = TCPCheckExecutor().run(CheckDefinition(tcp: "localhost:\(port)"))
        #expect(down.status == .critical)
        #expect(down.output == "dial tcp 127.0.0.1:\(port): connect: connection refused")
        let bad = TCPCheckExecutor().run(CheckDefinition(tcp: "nohostport"))
        #expect(bad.status == .critical && bad.output.contains("missing port"))
    }

    func script(
        _ command: String, timeoutNanoseconds: Int64 = 0, outputMaxSize: Int = 0
    )
        -> CheckResult
    {
        ScriptCheckExecutor().run(
            CheckDefinition(
                scriptArgs: ["/bin/sh", "-c", command], intervalNanoseconds: 1,
                timeoutNanoseconds: timeoutNanoseconds, outputMaxSize: outputMaxSize))
    }

    @Test(
        "script: exit 0 passing, 1 warning, 2 critical; stdout and stderr captured",
        arguments: [(0, HealthStatus.passing), (1, .warning), (2, .critical)])
    func scriptExit(code: Int, expected: HealthStatus) {
        let result = script("echo out; echo err >&2; exit \(code)")
        #expect(result == CheckResult(status: expected, output: "out\nerr\n"))
    }

    @Test("script: runs without a shell (arguments are not re-split), found through PATH")
    func scriptNoShell() {
        let result = ScriptCheckExecutor().run(
            CheckDefinition(scriptArgs: ["echo", "a  b", "$HOME"], intervalNanoseconds: 1))
        #expect(result == CheckResult(status: .passing, output: "a  b $HOME\n"))
        let missing = ScriptCheckExecutor().run(
            CheckDefinition(scriptArgs: ["/nonexistent/check"], intervalNanoseconds: 1))
        #expect(missing.status == .critical)
        #expect(missing.output.hasPrefix("Failed to invoke"))
    }

    @Test("script: past its timeout the process group is killed and the check is critical")
    func scriptTimeout() {
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        let result = script("sleep 5 & sleep 5", timeoutNanoseconds: 300_000_000)
        let elapsed = clock.nowNanoseconds() - start
        #expect(result == CheckResult(status: .critical, output: "Timed out (300ms) running check"))
        #expect(elapsed < 3_000_000_000)
    }

    @Test("script: output at the limit is whole; one byte more keeps the tail with a note")
    func scriptOutputBound() {
        let limit = 64
        let atLimit = script("printf '%0\(limit)d' 0", outputMaxSize: limit)
        #expect(atLimit.output == String(repeating: "0", count: limit))
        let over = script("printf 'x%0\(limit)d' 0", outputMaxSize: limit)
        #expect(
            over.output == "Captured \(limit) of \(limit + 1) bytes\n...\n"
                + String(repeating: "0", count: limit))
    }
}
