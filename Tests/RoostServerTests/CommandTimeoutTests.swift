import Foundation
import Platform
import RoostClient
import Testing

@testable import roost

/// `--command-timeout` and `$ROOST_COMMAND_TIMEOUT`: how long one CLI request may wait
/// (etcdctl's `--command-timeout` and `ETCDCTL_COMMAND_TIMEOUT`).
@Suite("roost client command timeout")
struct CommandTimeoutTests {
    static func timeout(_ words: [String], environment: String? = nil) throws(ClientError) -> Int64
    {
        let arguments = try Arguments(
            words, valueFlags: ClientContext.valueFlags, switchFlags: ClientContext.switchFlags)
        return try ClientContext.commandTimeoutNanoseconds(arguments, environment: environment)
    }

    static func usageMessage(_ words: [String], environment: String? = nil) -> String? {
        do {
            _ = try timeout(words, environment: environment)
            return nil
        } catch {
            guard case .usage(let message) = error else { return nil }
            return message
        }
    }

    @Test("the flag wins over the environment, which wins over the 10 s default")
    func precedence() throws {
        #expect(try Self.timeout([]) == 10_000_000_000)
        #expect(try Self.timeout([], environment: "45s") == 45_000_000_000)
        #expect(
            try Self.timeout(["--command-timeout", "1m"], environment: "45s") == 60_000_000_000)
    }

    @Test("limits: 1ms and 24h are taken, one nanosecond outside either is a usage error")
    func limits() throws {
        #expect(try Self.timeout(["--command-timeout", "1ms"]) == 1_000_000)
        #expect(try Self.timeout(["--command-timeout", "24h"]) == 86_400_000_000_000)
        #expect(
            Self.usageMessage(["--command-timeout", "999999ns"])
                == "the command timeout must be from 1ms to 24h")
        #expect(Self.usageMessage(["--command-timeout", "24h0m0.000000001s"]) != nil)
        #expect(Self.usageMessage([], environment: "86400000000001ns") != nil)
        #expect(
            Self.usageMessage(["--command-timeout", "5"])?.contains("needs a duration") == true)
        #expect(
            Self.usageMessage([], environment: "soon")
                == "$ROOST_COMMAND_TIMEOUT needs a duration like 30s, got 'soon'")
    }

    @Test("a server that accepts but never answers: exit 3 naming the timeout, flag or environment")
    func silentServer() throws {
        let listener = try Socket.listenTCP(
            SocketAddress.parse("127.0.0.1:0"), reusePort: false)
        let port = try listener.localAddress().port
        let endpoint = "http://127.0.0.1:\(port)"
        let flagged = try runCLI([
            "kv", "get", "a", "--endpoints", endpoint, "--command-timeout", "300ms",
        ])
        #expect(flagged.status == 3, "\(flagged.stderr)")
        #expect(
            flagged.stderr.contains("no answer from the server within 300 ms"), "\(flagged.stderr)")
        let fromEnvironment = try runCLI(
            ["services", "list", "--endpoints", endpoint],
            environment: ["ROOST_COMMAND_TIMEOUT": "250ms"])
        #expect(fromEnvironment.status == 3, "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stderr.contains("within 250 ms"), "\(fromEnvironment.stderr)")
        let bad = try runCLI(["kv", "get", "a", "--endpoints", endpoint, "--command-timeout", "0s"])
        #expect(bad.status == 2 && bad.stderr.contains("positive duration"), "\(bad.stderr)")
    }
}
