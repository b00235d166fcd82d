import Testing

@testable import ConfdAgent

@Suite("roost confd flags and confd.toml (reference/confd.md §2)")
struct ConfdConfigurationTests {
    private func flags(_ arguments: [String]) throws(ConfdConfigurationError) -> ConfdSettings {
        try ConfdSettings(arguments: arguments)
    }

    private func file(_ text: String) throws(ConfdConfigurationError) -> ConfdSettings {
        try ConfdSettings(configFile: Array(text.utf8), path: "/etc/confd/confd.toml")
    }

    @Test("defaults: /etc/confd, Roost's client port, interval 600 s, info")
    func defaults() throws {
        let configuration = ConfdConfiguration(flags: try flags([]), file: nil, configFile: nil)
        #expect(configuration.confDirectory == "/etc/confd")
        #expect(configuration.resourceDirectory == "/etc/confd/conf.d")
        #expect(configuration.templateDirectory == "/etc/confd/templates")
        #expect(configuration.endpoints == ["http://127.0.0.1:2379"])
        #expect(configuration.runMode == .interval(nanoseconds: 600_000_000_000))
        #expect(configuration.logLevel == .info)
        #expect(configuration.prefix == "")
        #expect(configuration.wait == nil)
        #expect(!configuration.noop && !configuration.syncOnly && !configuration.keepStageFile)
    }

    @Test("every flag parses, in --flag value, --flag=value and Go's -flag forms")
    func allFlags() throws {
        let parsed = try flags([
            "--confdir", "/srv/confd", "-config-file=/srv/c.toml", "--endpoints",
            "http://a:2379,b:2379", "-node", "c:2379", "--prefix=/prod", "--watch", "--noop",
            "--sync-only=true", "-keep-stage-file", "--log-level", "WARN", "--wait", "2s:10s",
        ])
        #expect(parsed.confDirectory == "/srv/confd")
        #expect(parsed.configFile == "/srv/c.toml")
        #expect(parsed.endpoints == ["http://a:2379", "http://b:2379", "http://c:2379"])
        #expect(parsed.prefix == "/prod")
        #expect(parsed.watch == true)
        #expect(parsed.noop == true && parsed.syncOnly == true && parsed.keepStageFile == true)
        #expect(parsed.logLevel == .warning)
        #expect(parsed.wait?.minimumNanoseconds == 2_000_000_000)
        #expect(parsed.wait?.maximumNanoseconds == 10_000_000_000)
    }

    @Test(
        "bad command lines fail with the flag named",
        arguments: [
            (["--bogus"], ConfdConfigurationError.unknownFlag("--bogus")),
            (["--prefix"], .missingValue(flag: "--prefix")),
            (["--watch", "--onetime"], .conflictingFlags("--onetime", "--watch")),
            (["--interval", "5", "--watch"], .conflictingFlags("--watch", "--interval")),
            (["extra"], .unexpectedArgument("extra")),
            (["--help"], .helpRequested), (["-h"], .helpRequested),
            (["--watch=maybe"], .invalidValue(flag: "--watch", value: "maybe",
                                              reason: "expected true or false")),
            (["--log-level", "loud"], .invalidValue(
                flag: "--log-level", value: "loud",
                reason: "expected panic, fatal, error, warn, info or debug")),
            (["--interval", "0"], .invalidValue(flag: "--interval", value: "0",
                                                reason: "must be above zero")),
            (["--endpoints", "https://a:2379"], .invalidValue(
                flag: "--endpoints", value: "https://a:2379",
                reason: "only http:// endpoints are supported")),
            (["--endpoints", "a,,b"], .invalidValue(flag: "--endpoints", value: "a,,b",
                                                    reason: "empty endpoint")),
            (["--confdir="], .invalidValue(flag: "--confdir", value: "",
                                           reason: "must not be empty")),
        ])
    func badFlags(arguments: [String], expected: ConfdConfigurationError) {
        #expect(throws: expected) { try flags(arguments) }
    }

    @Test("--interval of intervalNanosecondsMax (7 days) is accepted; 1 ns more is refused")
    func intervalLimit() throws {
        #expect(try flags(["--interval", "168h"]).intervalNanoseconds
            == ConfdSettings.intervalNanosecondsMax)
        #expect(throws: ConfdConfigurationError.invalidValue(
            flag: "--interval", value: "168h0.000000001s", reason: "must be at most 7 days"))
        {
            try flags(["--interval", "168h0.000000001s"])
        }
    }

    @Test("a bad --wait names the flag and the reason")
    func badWait() {
        #expect(throws: ConfdConfigurationError.invalidValue(
            flag: "--wait", value: "10:2", reason: "the maximum wait is below the minimum"))
        {
            try flags(["--wait", "10:2"])
        }
        #expect(ConfdConfigurationError.missingValue(flag: "--wait").flag == "--wait")
    }

    @Test("confd.toml keys decode with confd's spellings (log-level, sync-only, nodes)")
    func fileKeys() throws {
        let parsed = try file("""
            confdir = "/opt/confd"
            backend = "etcdv3"
            nodes = ["127.0.0.1:2379"]
            prefix = "/app"
            interval = 30
            noop = true
            sync-only = true
            log-level = "debug"
            wait = "500ms"
            client_cert = "/x.pem"
            mystery = 1
            """)
        #expect(parsed.confDirectory == "/opt/confd")
        #expect(parsed.endpoints == ["http://127.0.0.1:2379"])
        #expect(parsed.intervalNanoseconds == 30_000_000_000)
        #expect(parsed.syncOnly == true)
        #expect(parsed.logLevel == .debug)
        #expect(parsed.wait?.maximumNanoseconds == 2_000_000_000)
        #expect(parsed.warnings.count == 2)
        #expect(parsed.warnings.contains {
            $0.contains("client_cert") && $0.contains("not supported")
        })
    }

    @Test("bad confd.toml values name the file and key; syntax errors carry the line")
    func fileErrors() {
        #expect(throws: ConfdConfigurationError.configFileValue(
            path: "/etc/confd/confd.toml", key: "watch",
            reason: "expected true or false, found a string"))
        {
            try file("watch = \"yes\"")
        }
        do {
            _ = try file("a = 1\nb = ")
            Issue.record("parsed")
        } catch {
            guard case .configFileSyntax(_, let toml) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(toml.line == 2)
        }
    }

    @Test("flags override the file, the opposite of confd 0.16's bug (§2.1 precedence)")
    func precedence() throws {
        let fileSettings = try file("""
            prefix = "/file"
            nodes = ["file:2379"]
            noop = true
            log-level = "error"
            confdir = "/file/confd"
            """)
        let flagSettings = try flags([
            "--prefix", "/flag", "--node", "flag:2379", "--noop=false",
        ])
        let merged = ConfdConfiguration(flags: flagSettings, file: fileSettings, configFile: "c")
        #expect(merged.prefix == "/flag")
        #expect(merged.endpoints == ["http://flag:2379"])
        #expect(merged.noop == false)
        #expect(merged.logLevel == .error)
        #expect(merged.confDirectory == "/file/confd")
    }

    @Test(
        "a run mode on the command line replaces the file's; else onetime > watch > interval",
        arguments: [
            ("watch = true", [String](), ConfdConfiguration.RunMode.watch),
            ("watch = true\nonetime = true", [], .onetime),
            ("watch = true\ninterval = 5", [], .watch),
            ("interval = 5", [], .interval(nanoseconds: 5_000_000_000)),
            ("onetime = true", ["--watch"], .watch),
            ("watch = true", ["--interval", "2"], .interval(nanoseconds: 2_000_000_000)),
            ("watch = true\ninterval = 7", ["--watch=false"],
             .interval(nanoseconds: 7_000_000_000)),
            ("", ["--onetime"], .onetime),
        ])
    func runMode(fileText: String, arguments: [String], expected: ConfdConfiguration.RunMode)
        throws
    {
        let merged = ConfdConfiguration(
            flags: try flags(arguments), file: try file(fileText), configFile: nil)
        #expect(merged.runMode == expected)
    }

    @Test("load reads <confdir>/confd.toml when present, and flags still win")
    func loadDefaultFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("confd.toml", "prefix = \"/file\"\nwatch = true\n")
        let loaded = try ConfdConfiguration.load(arguments: [
            "--confdir", directory.path, "--prefix", "/flag",
        ])
        #expect(loaded.configFile == directory.path + "/confd.toml")
        #expect(loaded.prefix == "/flag")
        #expect(loaded.runMode == .watch)
    }

    @Test("a missing default confd.toml is skipped; a missing --config-file is an error")
    func loadMissingFile() throws {
        let directory = try TemporaryDirectory()
        let loaded = try ConfdConfiguration.load(arguments: ["--confdir", directory.path])
        #expect(loaded.configFile == nil)
        let missing = directory.path + "/nope.toml"
        #expect(throws: ConfdConfigurationError.configFileUnreadable(
            path: missing, reason: "no such file"))
        {
            try ConfdConfiguration.load(arguments: ["--config-file", missing])
        }
    }
}

@Suite("Durations and --wait (reference/confd.md §6.4)")
struct DurationTests {
    @Test(
        "plain seconds (fractions allowed) and Go-style units parse to nanoseconds",
        arguments: [
            ("2", UInt64(2_000_000_000)), ("0.2", 200_000_000), ("1.5", 1_500_000_000),
            (".5", 500_000_000), ("500ms", 500_000_000), ("2s", 2_000_000_000),
            ("1m", 60_000_000_000), ("1m30s", 90_000_000_000), ("1.5h", 5_400_000_000_000),
            ("250us", 250_000), ("250µs", 250_000), ("7ns", 7), ("0", 0),
            ("0.000000001", 1),
        ])
    func parses(text: String, nanoseconds: UInt64) throws {
        #expect(try DurationText.nanoseconds(text) == nanoseconds)
    }

    @Test(
        "malformed durations are refused",
        arguments: ["", "-1", "abc", "2x", "s", "1.2.3", "1 s", "99999999999999999999",
                    "5124095576h"])
    func refuses(text: String) {
        #expect(throws: DurationText.ParseError.self) { try DurationText.nanoseconds(text) }
    }

    @Test(
        "--wait MIN[:MAX]: MAX defaults to 4×MIN; MAX < MIN, zero and > 1h are refused",
        arguments: [
            ("0.2", UInt64?.some(200_000_000), UInt64?.some(800_000_000)),
            ("2:10", 2_000_000_000, 10_000_000_000), ("2s:10s", 2_000_000_000, 10_000_000_000),
            ("500ms:500ms", 500_000_000, 500_000_000),
            ("20m", 1_200_000_000_000, 3_600_000_000_000),
            ("1h:1h", 3_600_000_000_000, 3_600_000_000_000),
            ("10:2", nil, nil), ("0", nil, nil), ("1h:1h0m0.000000001s", nil, nil),
            ("1h0m0.000000001s", nil, nil), ("1:2:3", nil, nil), (":5", nil, nil),
        ])
    func window(text: String, minimum: UInt64?, maximum: UInt64?) {
        let parsed = try? QuiescenceWindow.parse(text)
        #expect(parsed?.minimumNanoseconds == minimum, "\(text)")
        #expect(parsed?.maximumNanoseconds == maximum, "\(text)")
    }
}
