import Foundation
import Platform
import RoostClient
import Synchronization

/// A real `roost server` child process on an ephemeral loopback port, with its own data
/// directory. Readiness is polled, never slept for.
final class ServerProcess: @unchecked Sendable {
    let dataDirectory: String
    let process = Process()
    private let output = Mutex<String>("")
    private(set) var endpoint: Endpoint?

    /// The `roost` binary next to the test bundle (SwiftPM builds it because this test
    /// target depends on the executable), or `$ROOST_BINARY`.
    static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["ROOST_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("roost").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/roost").path
    }

    static func temporaryDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "roost-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `agent` false (the default) runs an etcd-only member (`--no-agent`), so revisions
    /// move only with the test's own writes.
    init(
        dataDirectory: String, extraArguments: [String] = [], clientPort: UInt16 = 0,
        agent: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        process.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
        let peer = extraArguments.contains("--listen-peer") ? [] : ["--listen-peer", "127.0.0.1:0"]
        // Many servers run at once: DNS on a port of the kernel's choosing.
        let dns = extraArguments.contains("--listen-dns") ? [] : ["--listen-dns", "127.0.0.1:0"]
        process.arguments =
            ["server", "--data-dir", dataDirectory, "--listen-client", "127.0.0.1:\(clientPort)"]
            + peer + dns + (agent ? [] : ["--no-agent"]) + extraArguments
    }

    /// Starts the process and waits until `/health` answers (or, with `healthy` false,
    /// only until the client port is open: a cluster member is healthy once it has a
    /// leader, which needs the other members started too).
    func start(timeoutSeconds: Double = 60, healthy: Bool = true) throws {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while endpoint == nil {
            guard process.isRunning, Date() < deadline else {
                throw ServerProcessError.notReady(log)
            }
            if let url = ServerProcess.clientURL(in: log) { endpoint = try Endpoint(parsing: url) }
            usleep(10_000)
        }
        guard let endpoint else { throw ServerProcessError.notReady(log) }
        guard healthy else { return }
        let client = EtcdClient(endpoints: [endpoint], timeoutMilliseconds: 2_000)
        while (try? client.get("/health"))?.status != 200 {
            guard process.isRunning, Date() < deadline else {
                throw ServerProcessError.notReady(log)
            }
            usleep(10_000)
        }
    }

    var log: String { output.withLock { $0 } }

    /// The `client API  http://…` line the server prints when ready.
    static func clientURL(in log: String) -> String? {
        for line in log.split(separator: "\n") where line.contains("client API") {
            for word in line.split(separator: " ") where word.hasPrefix("http://") {
                return String(word)
            }
        }
        return nil
    }

    func client(timeoutMilliseconds: Int = 10_000) throws -> EtcdClient {
        guard let endpoint else { throw ServerProcessError.notReady(log) }
        return EtcdClient(endpoints: [endpoint], timeoutMilliseconds: timeoutMilliseconds)
    }

    /// SIGKILL: no chance to flush anything.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait; returns the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill9() }
    }
}

enum ServerProcessError: Error, CustomStringConvertible {
    case notReady(String)

    var description: String {
        switch self {
        case .notReady(let log): return "server did not become ready; its output:\n\(log)"
        }
    }
}

/// Runs the `roost` CLI and returns its exit status and output.
func runCLI(
    _ arguments: [String], environment: [String: String] = [:]
) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "ROOST_ENDPOINTS")
    // A debug server on a loaded 2-core machine can take longer than the 10 s default to
    // answer one request; tests wait for behaviour, not speed.
    env["ROOST_COMMAND_TIMEOUT"] = "60s"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: stdout, as: UTF8.self),
        String(decoding: stderr, as: UTF8.self)
    )
}
