import Platform

/// Runs TCP checks: passing once a connection to `host:port` is established within the
/// timeout (Consul `CheckTCP`). Blocking: run it on a worker thread, never an event loop.
/// A connect still pending when `cancellation` is set is abandoned and its socket closed.
public struct TCPCheckExecutor: Sendable {
    /// Consul's default check timeout.
    public static let timeoutDefaultNanoseconds: Int64 = 10_000_000_000

    public init() {}

    public func run(
        _ definition: CheckDefinition, cancellation: CancellationFlag? = nil
    ) -> CheckResult {
        let timeout =
            definition.timeoutNanoseconds > 0
            ? definition.timeoutNanoseconds : Self.timeoutDefaultNanoseconds
        switch connect(definition.tcp, timeoutNanoseconds: timeout, cancellation: cancellation) {
        case .success:
            return CheckResult(status: .passing, output: "TCP connect \(definition.tcp): Success")
        case .failure(let failure):
            return CheckResult(status: .critical, output: failure.message)
        }
    }

    /// Connects and closes; the failure is worded like Go's `net.Dial` error.
    func connect(
        _ target: String, timeoutNanoseconds: Int64, cancellation: CancellationFlag? = nil
    ) -> Result<Void, CheckFailure> {
        guard let (host, port) = Self.splitHostPort(target) else {
            return .failure(CheckFailure("dial tcp: address \(target): missing port in address"))
        }
        let address: SocketAddress
        switch HostResolver.resolve(host: host, port: port) {
        case .success(let resolved): address = resolved
        case .failure(let failure): return .failure(CheckFailure("dial tcp: \(failure.message)"))
        }
        do {
            let socket = try Socket.connectTCP(
                address, timeoutMilliseconds: Int(max(1, timeoutNanoseconds / 1_000_000)),
                cancellation: cancellation)
            socket.close()
            return .success(())
        } catch {
            return .failure(
                CheckFailure("dial tcp \(address): \(HostResolver.dialError(error))"))
        }
    }

    /// `host:port` or `[v6]:port`.
    static func splitHostPort(_ text: String) -> (String, UInt16)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }
}
