/// The resolved configuration of `roost confd`: defaults, then `confd.toml`, then flags.
/// Flags win over the file, as confd documents but (since v0.16.0) does not do
/// (reference/confd.md §2.1, "Precedence, as the code actually behaves").
public struct ConfdConfiguration: Sendable, Equatable {
    /// How resources are re-rendered.
    public enum RunMode: Sendable, Equatable {
        /// Render every resource once, then exit (non-zero if any failed).
        case onetime
        /// Render at start, then on every change to a resource's keys.
        case watch
        /// Render every resource, sleep this long, repeat.
        case interval(nanoseconds: UInt64)
    }

    /// logrus's levels, which confd's `-log-level` takes.
    public enum LogLevel: String, Sendable, Equatable, CaseIterable {
        case panic, fatal, error, warning, info, debug

        /// Accepts the logrus spellings, including "warn", in any case.
        public init?(parsing text: String) {
            let lower = text.lowercased()
            self.init(rawValue: lower == "warn" ? "warning" : lower)
        }
    }

    public static let defaultConfDirectory = "/etc/confd"
    /// Roost's client port (ARCHITECTURE.md, "What a user gets").
    public static let defaultEndpoint = "http://127.0.0.1:2379"
    /// confd's default polling period: 600 s.
    public static let defaultIntervalNanoseconds: UInt64 = 600 * 1_000_000_000

    public var confDirectory: String
    /// The `confd.toml` that was read, or nil if none was.
    public var configFile: String?
    public var endpoints: [String]
    public var prefix: String
    public var runMode: RunMode
    public var noop: Bool
    public var syncOnly: Bool
    public var keepStageFile: Bool
    public var logLevel: LogLevel
    /// Quiescence for watch mode, or nil for none (confd's behaviour).
    public var wait: QuiescenceWindow?
    /// Ignored settings, for the log.
    public var warnings: [String]

    /// `<confdir>/conf.d`: the template resources.
    public var resourceDirectory: String { confDirectory + "/conf.d" }
    /// `<confdir>/templates`: the templates that `src` names.
    public var templateDirectory: String { confDirectory + "/templates" }

    /// Merges flags over a config file (if one was read) over the defaults.
    public init(flags: ConfdSettings, file: ConfdSettings?, configFile: String?) {
        let file = file ?? ConfdSettings()
        confDirectory = flags.confDirectory ?? file.confDirectory ?? Self.defaultConfDirectory
        self.configFile = configFile
        endpoints = flags.endpoints ?? file.endpoints ?? [Self.defaultEndpoint]
        prefix = flags.prefix ?? file.prefix ?? ""
        noop = flags.noop ?? file.noop ?? false
        syncOnly = flags.syncOnly ?? file.syncOnly ?? false
        keepStageFile = flags.keepStageFile ?? file.keepStageFile ?? false
        logLevel = flags.logLevel ?? file.logLevel ?? .info
        wait = flags.wait ?? file.wait
        warnings = file.warnings + flags.warnings
        runMode = Self.runMode(flags: flags, file: file)
    }

    /// A mode chosen on the command line replaces the file's; otherwise confd's order
    /// applies to the merged values: onetime, then watch, then interval.
    private static func runMode(flags: ConfdSettings, file: ConfdSettings) -> RunMode {
        if flags.onetime == true { return .onetime }
        if flags.watch == true { return .watch }
        if let interval = flags.intervalNanoseconds { return .interval(nanoseconds: interval) }
        if flags.onetime ?? file.onetime ?? false { return .onetime }
        if flags.watch ?? file.watch ?? false { return .watch }
        return .interval(nanoseconds: file.intervalNanoseconds ?? defaultIntervalNanoseconds)
    }
}
