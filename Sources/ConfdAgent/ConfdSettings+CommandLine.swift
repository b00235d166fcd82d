/// `roost confd` flags. Both `--flag` and confd's Go-style `-flag` are accepted, with the
/// value as the next word or after '='. Boolean flags take an optional `=true|false`.
extension ConfdSettings {
    private enum FlagKind {
        case boolean
        case value
    }

    private static let flagKinds: [String: FlagKind] = [
        "confdir": .value, "config-file": .value, "endpoints": .value, "node": .value,
        "prefix": .value, "watch": .boolean, "interval": .value, "onetime": .boolean,
        "noop": .boolean, "sync-only": .boolean, "keep-stage-file": .boolean,
        "log-level": .value, "wait": .value, "help": .boolean, "h": .boolean,
    ]

    /// Parses the arguments after `roost confd`.
    public init(arguments: [String]) throws(ConfdConfigurationError) {
        self.init()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                if index < arguments.count { throw .unexpectedArgument(arguments[index]) }
                break
            }
            guard argument.hasPrefix("-"), argument.count > 1 else {
                throw .unexpectedArgument(argument)
            }
            let body = argument.dropFirst(argument.hasPrefix("--") ? 2 : 1)
            let name = String(body.prefix { $0 != "=" })
            let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
            let flag = "--" + name
            guard let kind = Self.flagKinds[name] else { throw .unknownFlag(argument) }
            let value: String
            switch kind {
            case .boolean:
                value = inline ?? "true"
            case .value:
                if let inline {
                    value = inline
                } else {
                    guard index < arguments.count else { throw .missingValue(flag: flag) }
                    value = arguments[index]
                    index += 1
                }
            }
            try apply(name: name, flag: flag, value: value)
        }
        try checkRunModeConflicts()
    }

    private mutating func apply(
        name: String, flag: String, value: String
    )
        throws(ConfdConfigurationError)
    {
        func invalid(_ reason: String) -> ConfdConfigurationError {
            .invalidValue(flag: flag, value: value, reason: reason)
        }
        switch name {
        case "help", "h": throw .helpRequested
        case "confdir", "config-file":
            guard !value.isEmpty else { throw invalid("must not be empty") }
            if name == "confdir" { confDirectory = value } else { configFile = value }
        case "endpoints", "node":
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                switch Self.normalizeEndpoint(String(part)) {
                case .success(let endpoint): endpoints = (endpoints ?? []) + [endpoint]
                case .failure(let error): throw invalid(error.message)
                }
            }
        case "prefix": prefix = value
        case "interval":
            switch Self.interval(value) {
            case .success(let nanoseconds): intervalNanoseconds = nanoseconds
            case .failure(let error): throw invalid(error.message)
            }
        case "log-level":
            guard let level = ConfdConfiguration.LogLevel(parsing: value) else {
                throw invalid("expected panic, fatal, error, warn, info or debug")
            }
            logLevel = level
        case "wait":
            do {
                wait = try QuiescenceWindow.parse(value)
            } catch {
                throw invalid(error.message)
            }
        default:
            guard let flagValue = Self.boolean(value) else {
                throw invalid("expected true or false")
            }
            setBoolean(name, flagValue)
        }
    }

    private mutating func setBoolean(_ name: String, _ value: Bool) {
        switch name {
        case "watch": watch = value
        case "onetime": onetime = value
        case "noop": noop = value
        case "sync-only": syncOnly = value
        case "keep-stage-file": keepStageFile = value
        default: preconditionFailure("flag table and setBoolean disagree on \(name)")
        }
    }

    /// Go's `strconv.ParseBool` spellings, which confd's flags accept.
    private static func boolean(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    /// Only one of `--onetime`, `--watch`, `--interval` may choose the run mode.
    private func checkRunModeConflicts() throws(ConfdConfigurationError) {
        let chosen = [
            onetime == true ? "--onetime" : nil, watch == true ? "--watch" : nil,
            intervalNanoseconds != nil ? "--interval" : nil,
        ].compactMap { $0 }
        if chosen.count >= 2 { throw .conflictingFlags(chosen[0], chosen[1]) }
    }
}
