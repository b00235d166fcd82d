import Foundation
import Glibc
import Platform
import RoostClient
import Testing

/// `roost confd --watch` driving real HAProxy and nginx (Debian packages, installed by
/// `.ci/run`): traffic follows registrations and health, and a config the proxy rejects
/// leaves the old one serving. Outside CI a missing proxy skips the test; in CI it fails.
@Suite("roost confd reloading real proxies", .serialized)
struct ConfdProxyTests {
    static let haproxyTemplate = """
        global
            maxconn 256
        defaults
            mode http
            timeout connect 2s
            timeout client 5s
            timeout server 5s
        frontend front
            bind 127.0.0.1:{{getv "/lb/port"}}
            default_backend web
        backend web
            balance roundrobin
        {{- range service "web"}}
            server {{.ID}} {{.Address}}:{{.Port}}
        {{- end}}

        """

    static let nginxTemplate = """
        pid {{getv "/lb/dir"}}/nginx.pid;
        error_log {{getv "/lb/dir"}}/nginx-error.log;
        events { worker_connections 64; }
        http {
            access_log off;
            upstream web {
        {{- range service "web"}}
                server {{.Address}}:{{.Port}}; # {{.ID}}
        {{- else}}
                server 127.0.0.1:1 down;
        {{- end}}
            }
            server {
                listen 127.0.0.1:{{getv "/lb/port"}};
                location / { proxy_pass http://web; }
            }
        }

        """

    @Test(
        "HAProxy: both backends serve, then only the one still registered and passing; a bad config is rejected",
        .enabled(if: ProxyBinary.available("haproxy")))
    func haproxy() throws {
        let lab = try ProxyLab(label: "haproxy")
        defer { lab.close() }
        let pidFile = lab.directory + "/haproxy.pid"
        defer { ProxyLab.killPID(in: pidFile) }
        try lab.writeResource(
            template: Self.haproxyTemplate, destination: "haproxy.cfg",
            check: "haproxy -c -q -f {{.src}}",
            reload: "haproxy -f \(lab.directory)/haproxy.cfg -p \(pidFile) -D "
                + "-sf $(cat \(pidFile) 2>/dev/null)")
        try lab.exercise()
    }

    @Test(
        "nginx: both backends serve, then only the one still registered and passing; a bad config is rejected",
        .enabled(if: ProxyBinary.available("nginx")))
    func nginx() throws {
        let lab = try ProxyLab(label: "nginx")
        defer { lab.close() }
        let pidFile = lab.directory + "/nginx.pid"
        defer { ProxyLab.killPID(in: pidFile) }
        let nginx = "nginx -p \(lab.directory)/ -e \(lab.directory)/nginx-error.log"
        try lab.writeResource(
            template: Self.nginxTemplate, destination: "nginx.conf",
            check: "\(nginx) -q -t -c {{.src}}",
            reload: "if [ -s \(pidFile) ]; then \(nginx) -c \(lab.directory)/nginx.conf -s reload;"
                + " else \(nginx) -c \(lab.directory)/nginx.conf; fi")
        try lab.exercise()
    }
}

enum ProxyBinary {
    /// Whether `name` is installed; in CI a missing proxy is a failure, not a skip.
    static func available(_ name: String) -> Bool {
        let found = ["/usr/sbin/", "/usr/bin/", "/usr/local/sbin/"].contains {
            FileManager.default.isExecutableFile(atPath: $0 + name)
        }
        return found || ProcessInfo.processInfo.environment["CI"] == "true"
    }
}

/// A server with its agent, two backend HTTP servers (`python3 -m http.server`) that
/// answer "A" and "B", and a confd agent in watch mode rendering one proxy's config.
final class ProxyLab {
    let fixture: ConfdFixture
    let directory: String
    let proxyPort: UInt16
    let backendPorts: [UInt16]
    private var backends: [ChildProcess] = []
    private var agent: BackgroundCLI?

    init(label: String) throws {
        fixture = try ConfdFixture(label: label)
        directory = fixture.directory
        let ports = try ClusterProcesses.freePorts(3)
        proxyPort = ports[0]
        backendPorts = Array(ports[1...])
        for (index, port) in backendPorts.enumerated() {
            backends.append(
                try Self.startBackend(name: ["A", "B"][index], port: port, in: directory))
        }
        try fixture.put("/lb/port", "\(proxyPort)")
        try fixture.put("/lb/dir", directory)
    }

    /// Platform's ChildProcess, not Foundation's Process: a child of Foundation's inherits the
    /// test thread's signal mask, SIGTERM included, and would never stop.
    static func startBackend(
        name: String, port: UInt16, in directory: String
    ) throws
        -> ChildProcess
    {
        let root = directory + "/backend-" + name
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try name.write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        let process = try ChildProcess.spawn([
            "/bin/sh", "-c",
            "exec python3 -m http.server --bind 127.0.0.1 --directory \(root) \(port) "
                + ">/dev/null 2>&1",
        ])
        let address = try SocketAddress.parse("127.0.0.1:\(port)")
        try waitUntil { ProxyLab.get(address) == name }
        return process
    }

    /// Replaces the fixture's resource with the proxy's.
    func writeResource(
        template: String, destination: String, check: String, reload: String
    )
        throws
    {
        try fixture.writeResource(
            template: template, destination: destination, keys: "/lb", check: check,
            reload: reload)
    }

    /// The scenario both proxies must pass.
    func exercise() throws {
        try fixture.register(id: "web-a", port: Int(backendPorts[0]))
        try fixture.register(id: "web-b", port: Int(backendPorts[1]))
        try fixture.waitForPassing(["web-a", "web-b"])
        agent = try BackgroundCLI(fixture.arguments(["--watch", "--wait", "0.05"]))
        try waitForBackends(["A", "B"])
        // Deregistered: traffic goes to A only once the proxy has reloaded.
        #expect(try fixture.http.send(.put, "/v1/agent/service/deregister/web-b").status == 200)
        try waitForBackends(["A"])
        // Back, then A's health check fails: B only.
        try fixture.register(id: "web-b", port: Int(backendPorts[1]))
        try waitForBackends(["A", "B"])
        try fixture.passTTL("web-a", status: "fail")
        try waitForBackends(["B"])
        // A config the proxy rejects: check_cmd fails, the running proxy keeps serving.
        let serving = try String(contentsOfFile: fixture.renderedPath, encoding: .utf8)
        try fixture.put("/lb/port", "not-a-port")
        try waitUntil { self.agent?.output.contains("check failed") == true }
        #expect(try String(contentsOfFile: fixture.renderedPath, encoding: .utf8) == serving)
        try waitForBackends(["B"])
        #expect(agent?.terminate() == 0)
    }

    func proxyAddress() -> SocketAddress {
        (try? SocketAddress.parse("127.0.0.1:\(proxyPort)")) ?? fixture.http.address
    }

    /// Waits until the rendered config names exactly the backends `names` and a run of
    /// requests through the proxy reaches exactly them. Traffic alone is not enough: a
    /// proxy that saw a backend fail (slow under load) routes around it for a while.
    func waitForBackends(_ names: Set<String>) throws {
        let ports = Dictionary(uniqueKeysWithValues: zip(["A", "B"], backendPorts))
        do {
            try waitUntil(seconds: 30) {
                let config =
                    (try? String(contentsOfFile: fixture.renderedPath, encoding: .utf8)) ?? ""
                let rendered = Set(ports.filter { config.contains(":\($0.value)") }.keys)
                return rendered == names
                    && Set((0..<8).compactMap { _ in ProxyLab.get(self.proxyAddress()) }) == names
            }
        } catch {
            let config = (try? String(contentsOfFile: fixture.renderedPath, encoding: .utf8)) ?? ""
            Issue.record("wanted \(names); config:\n\(config)\nagent:\n\(agent?.output ?? "")")
            throw error
        }
    }

    /// One GET / on a fresh connection; the body, or nil on any failure.
    static func get(_ address: SocketAddress) -> String? {
        let client = HTTPClient(address: address, timeoutMilliseconds: 2_000)
        defer { client.close() }
        guard let response = try? client.send(.get, "/"), response.status == 200 else {
            return nil
        }
        return response.bodyText
    }

    static func killPID(in file: String) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return }
        for word in text.split(whereSeparator: \.isWhitespace) {
            if let pid = Int32(word) { kill(pid, SIGTERM) }
        }
    }

    func close() {
        agent?.kill()
        for backend in backends {
            kill(backend.pid, SIGTERM)
            _ = backend.reap(blocking: true)
            Glibc.close(backend.outputDescriptor)
        }
        fixture.close()
    }
}
