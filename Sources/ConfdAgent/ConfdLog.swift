/// The agent's log: one line per event, at confd's (logrus's) levels, written through a
/// sink the CLI provides (stderr) so tests can capture it.
public struct ConfdLog: Sendable {
    public let level: ConfdConfiguration.LogLevel
    private let sink: @Sendable (String) -> Void

    public init(
        level: ConfdConfiguration.LogLevel, sink: @escaping @Sendable (String) -> Void
    ) {
        self.level = level
        self.sink = sink
    }

    public func error(_ message: @autoclosure () -> String) { write(.error, message) }
    public func warning(_ message: @autoclosure () -> String) { write(.warning, message) }
    public func info(_ message: @autoclosure () -> String) { write(.info, message) }
    public func debug(_ message: @autoclosure () -> String) { write(.debug, message) }

    private func write(_ wanted: ConfdConfiguration.LogLevel, _ message: () -> String) {
        guard Self.rank(wanted) <= Self.rank(level) else { return }
        sink("roost confd: \(wanted.rawValue.uppercased()) \(message())\n")
    }

    /// Severity order, most severe first (logrus's).
    private static func rank(_ level: ConfdConfiguration.LogLevel) -> Int {
        ConfdConfiguration.LogLevel.allCases.firstIndex(of: level) ?? 0
    }
}
