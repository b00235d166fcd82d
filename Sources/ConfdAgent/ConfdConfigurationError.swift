/// Why `roost confd`'s flags or `confd.toml` were rejected. Each case names the flag or
/// file key at fault so the CLI can print one clear line.
public enum ConfdConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--help` or `-h`: print `ConfdConfiguration.usage` and exit successfully.
    case helpRequested
    case unknownFlag(String)
    case missingValue(flag: String)
    case invalidValue(flag: String, value: String, reason: String)
    /// Two flags that cannot be combined, e.g. `--watch` and `--onetime`.
    case conflictingFlags(String, String)
    /// A word that is not a flag (`roost confd` takes no positional arguments).
    case unexpectedArgument(String)
    case configFileUnreadable(path: String, reason: String)
    case configFileSyntax(path: String, TOMLError)
    case configFileValue(path: String, key: String, reason: String)

    /// The flag (or `path:key` of the file setting) at fault, if there is one.
    public var flag: String? {
        switch self {
        case .helpRequested, .unexpectedArgument: nil
        case .unknownFlag(let flag), .missingValue(let flag), .invalidValue(let flag, _, _):
            flag
        case .conflictingFlags(let first, _): first
        case .configFileUnreadable(let path, _), .configFileSyntax(let path, _): path
        case .configFileValue(let path, let key, _): "\(path):\(key)"
        }
    }

    public var description: String {
        switch self {
        case .helpRequested: "help requested"
        case .unknownFlag(let flag): "unknown flag \(flag)"
        case .missingValue(let flag): "flag \(flag) needs a value"
        case .invalidValue(let flag, let value, let reason):
            "invalid value \"\(value)\" for \(flag): \(reason)"
        case .conflictingFlags(let first, let second):
            "\(first) and \(second) cannot be used together"
        case .unexpectedArgument(let argument):
            "unexpected argument \"\(argument)\" (roost confd takes only flags)"
        case .configFileUnreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .configFileSyntax(let path, let error): "\(path): \(error)"
        case .configFileValue(let path, let key, let reason): "\(path): \(key): \(reason)"
        }
    }
}
