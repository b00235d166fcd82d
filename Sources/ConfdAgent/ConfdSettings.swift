/// The settings one source gave (command line or `confd.toml`): nil means "not set here".
/// `ConfdConfiguration` merges two of these, flags over file.
public struct ConfdSettings: Sendable, Equatable {
    public var confDirectory: String?
    public var configFile: String?
    public var endpoints: [String]?
    public var prefix: String?
    public var watch: Bool?
    public var onetime: Bool?
    public var intervalNanoseconds: UInt64?
    public var noop: Bool?
    public var syncOnly: Bool?
    public var keepStageFile: Bool?
    public var logLevel: ConfdConfiguration.LogLevel?
    public var wait: QuiescenceWindow?
    /// Settings that were accepted but ignored (unknown or unsupported file keys).
    public var warnings: [String] = []

    public init() {}

    /// Longest accepted `--interval`: a week. Longer is a typo, and bounds the sleep.
    public static let intervalNanosecondsMax: UInt64 = 7 * 86_400 * 1_000_000_000

    /// Checks an endpoint and adds "http://" when no scheme is given (confd's etcdv3 nodes
    /// are written "127.0.0.1:2379"). Only http: Roost has no client TLS (ARCHITECTURE.md,
    /// Security); TLS is terminated in front of the client port.
    static func normalizeEndpoint(_ text: String) -> Result<String, DurationText.ParseError> {
        let trimmed = Substring(text).trimmingSpaces()
        guard !trimmed.isEmpty else { return .failure(.init(message: "empty endpoint")) }
        var rest = trimmed
        if let separator = trimmed.firstRange(of: "://") {
            guard trimmed[..<separator.lowerBound].lowercased() == "http" else {
                return .failure(.init(message: "only http:// endpoints are supported"))
            }
            rest = trimmed[separator.upperBound...]
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        let host = rest.prefix { $0 != "/" }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "\t" }) else {
            return .failure(.init(message: "no host in endpoint"))
        }
        return .success("http://" + rest)
    }

    /// `interval`: a positive duration no longer than `intervalNanosecondsMax`.
    static func interval(_ text: String) -> Result<UInt64, DurationText.ParseError> {
        do {
            let value = try DurationText.nanoseconds(text)
            guard value > 0 else { return .failure(.init(message: "must be above zero")) }
            guard value <= intervalNanosecondsMax else {
                return .failure(.init(message: "must be at most 7 days"))
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}
