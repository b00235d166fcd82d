import Foundation
import RoostClient
import Testing

/// The `roost` command line: output, `--json`, errors and exit codes.
@Suite("roost CLI", .serialized)
struct CLITests {
    @Test("kv put, get, get --prefix, del and status work against a real server")
    func roundTrip() throws {
        let directory = ServerProcess.temporaryDirectory("cli")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        defer { _ = server.terminate() }
        let endpoint = try #require(server.endpoint).text
        let put = try runCLI(["kv", "put", "greeting", "hello", "--endpoints", endpoint])
        #expect(put.status == 0)
        #expect(put.stdout == "OK\n")
        _ = try runCLI(["kv", "put", "greeting2", "hi", "--endpoints", endpoint])
        let get = try runCLI(["kv", "get", "greeting", "--endpoints", endpoint])
        #expect(get.stdout == "greeting\nhello\n")
        let prefix = try runCLI(
            ["kv", "get", "greet", "--prefix", "--keys-only"],
            environment: ["ROOST_ENDPOINTS": endpoint])
        #expect(prefix.stdout == "greeting\ngreeting2\n")
        let json = try runCLI(["kv", "get", "greeting", "--json", "--endpoints", endpoint])
        #expect(json.stdout.contains(#""kvs":[{"key":"Z3JlZXRpbmc=""#))
        let delete = try runCLI(["kv", "del", "greet", "--prefix", "--endpoints", endpoint])
        #expect(delete.stdout == "2\n")
        let status = try runCLI(["status", "--endpoints", endpoint])
        #expect(status.status == 0)
        #expect(status.stdout.contains("leader"))
    }

    @Test("reading a compacted revision fails with exit code 1 and etcd's message")
    func compactedRevision() throws {
        let directory = ServerProcess.temporaryDirectory("cli-compact")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        defer { _ = server.terminate() }
        let client = try server.client()
        for value in ["a", "b", "c"] { try client.put(Array("k".utf8), Array(value.utf8)) }
        _ = try client.call("kv/compaction", Array(#"{"revision":"3"}"#.utf8))
        let old = try runCLI([
            "kv", "get", "k", "--rev", "2", "--endpoints", try #require(server.endpoint).text,
        ])
        #expect(old.status == 1)
        #expect(old.stderr.contains("required revision has been compacted"))
    }

    @Test("an unknown flag is a usage error: exit 2 with a message")
    func badFlag() throws {
        let result = try runCLI(["kv", "get", "k", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown flag --no-such-flag"))
    }

    @Test("no reachable server: exit 3 and the endpoint in the message")
    func unreachable() throws {
        let result = try runCLI(["kv", "get", "k", "--endpoints", "http://127.0.0.1:1"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("127.0.0.1:1"))
    }

    @Test("--help prints usage and exits 0, for the tool and each command")
    func help() throws {
        for arguments in [
            ["--help"], ["kv", "get", "--help"], ["server", "--help"], ["status", "--help"],
        ] {
            let result = try runCLI(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stdout.contains("Usage"), "\(arguments)")
        }
    }
}
