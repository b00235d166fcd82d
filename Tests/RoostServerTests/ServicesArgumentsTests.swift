import RoostClient
import Testing

@testable import roost

/// The flag parsing and output shaping of `roost services|health|check`, without processes.
@Suite("roost services, health and check arguments")
struct ServicesArgumentsTests {
    static func parse(_ words: [String]) throws(ClientError) -> Arguments {
        try Arguments(
            words, valueFlags: ClientContext.valueFlags.union(ServicesCommand.registerFlags),
            switchFlags: ClientContext.switchFlags)
    }

    static func registration(_ words: [String]) throws(ClientError) -> ConsulServiceRegistration {
        try ServicesCommand.registration(parse(words))
    }

    static func usageMessage(_ words: [String]) -> String? {
        do {
            _ = try registration(words)
            return nil
        } catch {
            guard case .usage(let message) = error else { return nil }
            return message
        }
    }

    @Test("a repeated flag keeps every value in order; options keep the last")
    func repeatedFlags() throws {
        let arguments = try Self.parse(["--tag", "a", "--tag=b", "--name", "x", "--name", "y"])
        #expect(arguments.values("tag") == ["a", "b"])
        #expect(arguments.values("meta") == [])
        #expect(arguments.options["name"] == "y")
    }

    @Test("register flags become a registration: tags and meta as given, ID the name by default")
    func registrationFields() throws {
        let registration = try Self.registration([
            "--name", "web", "--address", "10.0.0.5", "--port", "8080", "--tag", "v1", "--tag",
            "prod", "--meta", "version=1.2", "--meta", "url=http://x/?a=b",
        ])
        #expect(registration.name == "web")
        #expect(registration.effectiveID == "web", "Consul's default ID is the name")
        #expect(registration.address == "10.0.0.5")
        #expect(registration.port == 8080)
        #expect(registration.tags == ["v1", "prod"])
        #expect(registration.meta == ["version": "1.2", "url": "http://x/?a=b"])
        #expect(registration.check == nil)
        #expect(try Self.registration(["--name", "web", "--id", "web1"]).effectiveID == "web1")
    }

    @Test("--port takes 0 through 65535 and refuses 65536 and -1")
    func portBounds() throws {
        #expect(try Self.registration(["--name", "a", "--port", "0"]).port == 0)
        #expect(try Self.registration(["--name", "a", "--port", "65535"]).port == 65_535)
        for bad in ["65536", "-1", "http"] {
            #expect(Self.usageMessage(["--name", "a", "--port", bad])?.contains("--port") == true)
        }
    }

    @Test("each check kind carries its timing; durations are Go's and become nanoseconds")
    func checkKinds() throws {
        let ttl = try Self.registration([
            "--name", "a", "--ttl", "1m30s", "--deregister-critical-after", "2m",
        ])
        #expect(
            ttl.check
                == ConsulCheckDefinition(
                    .ttl(nanoseconds: 90_000_000_000),
                    deregisterCriticalServiceAfterNanoseconds: 120_000_000_000))
        let http = try Self.registration([
            "--name", "a", "--http", "https://h/health", "--interval", "10s", "--timeout", "500ms",
        ])
        #expect(
            http.check
                == ConsulCheckDefinition(
                    .http(url: "https://h/health", intervalNanoseconds: 10_000_000_000),
                    timeoutNanoseconds: 500_000_000))
        let tcp = try Self.registration(["--name", "a", "--tcp", "[::1]:5432", "--interval", "5s"])
        #expect(
            tcp.check
                == ConsulCheckDefinition(
                    .tcp(address: "[::1]:5432", intervalNanoseconds: 5_000_000_000)))
    }

    @Test("check flags that do not fit together are usage errors naming the flag")
    func checkMistakes() {
        let cases: [([String], String)] = [
            (["--ttl", "1s", "--http", "http://h/"], "exclude each other"),
            (["--http", "http://h/", "--tcp", "h:1", "--interval", "1s"], "exclude each other"),
            (["--http", "http://h/"], "--http needs --interval"),
            (["--tcp", "h:1"], "--tcp needs --interval"),
            (["--http", "ftp://h/", "--interval", "1s"], "http:// or https://"),
            (["--tcp", "h:0", "--interval", "1s"], "HOST:PORT"),
            (["--tcp", ":80", "--interval", "1s"], "HOST:PORT"),
            (["--ttl", "1s", "--interval", "1s"], "--interval goes with --http or --tcp"),
            (["--ttl", "1s", "--timeout", "1s"], "--timeout goes with --http or --tcp"),
            (["--timeout", "1s"], "--timeout needs a check"),
            (["--deregister-critical-after", "1m"], "needs a check"),
            (["--ttl", "-1s"], "positive duration"),
            (["--ttl", "1 s"], "--ttl needs a duration"),
            (["--meta", "novalue"], "--meta needs KEY=VALUE"),
            (["--meta", "k=1", "--meta", "k=2"], "given twice"),
            (["--id", ""], "--id needs a non-empty ID"),
        ]
        for (words, message) in cases {
            let text = Self.usageMessage(["--name", "a"] + words)
            #expect(text?.contains(message) == true, "\(words): \(text ?? "accepted")")
        }
        #expect(Self.usageMessage(["--port", "1"])?.contains("needs --name") == true)
        #expect(Self.usageMessage(["--name", ""])?.contains("needs --name") == true)
    }

    @Test("--every takes 100ms through 24h and refuses 99ms and 24h1ns (heartbeat bounds)")
    func heartbeatBounds() throws {
        func every(_ text: String) throws(ClientError) -> Int64 {
            try CheckCommand.heartbeatInterval(
                Arguments(["--every", text], valueFlags: ["every"], switchFlags: []))
        }
        #expect(try every("100ms") == CheckCommand.heartbeatIntervalMinNanoseconds)
        #expect(try every("24h") == CheckCommand.heartbeatIntervalMaxNanoseconds)
        #expect(throws: ClientError.self) { try every("99ms") }
        #expect(throws: ClientError.self) { try every("24h1ns") }
        #expect(throws: ClientError.self) { try every("soon") }
    }

    @Test("a heartbeat retries what may heal (no server, overload, 5xx) and stops on the rest")
    func heartbeatRetries() {
        #expect(CheckHeartbeat.isTransient(.unreachable("refused")))
        #expect(CheckHeartbeat.isTransient(.server(status: 429, code: 0, message: "slow down")))
        #expect(
            CheckHeartbeat.isTransient(.server(status: 500, code: 0, message: "No cluster leader")))
        #expect(
            !CheckHeartbeat.isTransient(.server(status: 404, code: 0, message: "Unknown check ID")))
        #expect(
            !CheckHeartbeat.isTransient(
                .server(
                    status: 500, code: 0,
                    message: "CheckID \"service:a\" does not have associated TTL")))
        #expect(!CheckHeartbeat.isTransient(.protocolError("garbage")))
    }

    @Test("a table pads every column but the last, keeps cells on one line, ends no line in spaces")
    func table() {
        var table = TextTable(header: ["NODE", "ID", "CHECKS"])
        table.append(["n1", "web-long-id", "a=passing"])
        table.append(["node-2", "w", "b=critical (line1\nline2\tend)"])
        table.append(["n3", "x", ""])
        #expect(
            table.text
                == "NODE    ID           CHECKS\n"
                + "n1      web-long-id  a=passing\n"
                + "node-2  w            b=critical (line1 line2 end)\n"
                + "n3      x\n")
    }

    @Test("health rows show host:port (IPv6 bracketed, no port when 0) and ID=status (output)")
    func healthCells() {
        #expect(HealthCommand.hostPort("10.0.0.5", 80) == "10.0.0.5:80")
        #expect(HealthCommand.hostPort("::1", 80) == "[::1]:80")
        #expect(HealthCommand.hostPort("10.0.0.5", 0) == "10.0.0.5")
        let check = ConsulHealthCheck(
            checkID: "service:web1", name: "n", status: .critical, output: "TTL expired",
            serviceID: "web1")
        #expect(HealthCommand.checkText(check) == "service:web1=critical (TTL expired)")
        var quiet = check
        quiet.output = ""
        #expect(HealthCommand.checkText(quiet) == "service:web1=critical")
    }
}
