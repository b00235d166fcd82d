/// `confd.toml` (reference/confd.md §2.1). Keys match case-insensitively, as BurntSushi/toml
/// does for confd; both confd's spellings (`log-level`, `sync-only`) and the underscore forms
/// are accepted. confd's backend-specific keys are accepted with a warning that they do
/// nothing here; unknown keys are warned about rather than silently ignored.
extension ConfdSettings {
    private static let unsupportedKeys: Set<String> = [
        "scheme", "client_cert", "client_key", "client_cakeys", "client_insecure", "basic_auth",
        "username", "password", "srv_domain", "srv_record", "auth_token", "auth_type",
        "app_id", "user_id", "role_id", "secret_id", "path", "table", "separator", "file",
        "filter", "secret_keyring",
    ]

    /// Parses the bytes of a `confd.toml`; `path` names it in errors.
    public init(configFile bytes: [UInt8], path: String) throws(ConfdConfigurationError) {
        self.init()
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(bytes)
        } catch {
            throw .configFileSyntax(path: path, error)
        }
        var seen: [String: String] = [:]
        for (key, value) in root.entries {
            let canonical = key.lowercased().replacingUnderscores()
            if let earlier = seen[canonical] {
                throw .configFileValue(
                    path: path, key: key, reason: "also set as '\(earlier)' (keys match loosely)")
            }
            seen[canonical] = key
            let reader = FileValueReader(path: path, key: key, value: value)
            try apply(canonical: canonical, reader: reader)
        }
    }

    private mutating func apply(
        canonical: String, reader: FileValueReader
    )
        throws(ConfdConfigurationError)
    {
        switch canonical {
        case "confdir": confDirectory = try reader.string()
        case "nodes", "endpoints":
            endpoints = try reader.strings().map { (text) throws(ConfdConfigurationError) in
                try reader.endpoint(text)
            }
        case "prefix": prefix = try reader.string()
        case "interval": intervalNanoseconds = try reader.interval()
        case "watch": watch = try reader.boolean()
        case "onetime": onetime = try reader.boolean()
        case "noop": noop = try reader.boolean()
        case "sync-only", "synconly": syncOnly = try reader.boolean()
        case "keep-stage-file", "keepstagefile": keepStageFile = try reader.boolean()
        case "log-level", "loglevel":
            let text = try reader.string()
            guard let level = ConfdConfiguration.LogLevel(parsing: text) else {
                throw reader.invalid("expected panic, fatal, error, warn, info or debug")
            }
            logLevel = level
        case "wait": wait = try reader.wait()
        case "backend":
            let backend = try reader.string()
            if backend != "etcd" && backend != "etcdv3" {
                warnings.append(
                    "\(reader.path): backend \"\(backend)\" ignored: "
                        + "roost confd reads Roost's etcd v3 API")
            }
        default:
            let raw = reader.key.lowercased()
            warnings.append(
                Self.unsupportedKeys.contains(raw) || Self.unsupportedKeys.contains(canonical)
                    ? "\(reader.path): '\(reader.key)' is not supported by roost confd; ignored"
                    : "\(reader.path): unknown key '\(reader.key)' ignored")
        }
    }
}

extension String {
    /// "sync_only" and "sync-only" name the same setting.
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}

/// Typed access to one `confd.toml` value.
private struct FileValueReader {
    let path: String
    let key: String
    let value: TOMLValue

    func invalid(_ reason: String) -> ConfdConfigurationError {
        .configFileValue(path: path, key: key, reason: reason)
    }

    func string() throws(ConfdConfigurationError) -> String {
        guard case .string(let text) = value else {
            throw invalid("expected a string, found \(value.typeName)")
        }
        return text
    }

    func boolean() throws(ConfdConfigurationError) -> Bool {
        guard case .boolean(let flag) = value else {
            throw invalid("expected true or false, found \(value.typeName)")
        }
        return flag
    }

    /// An array of strings, or one string (a single node).
    func strings() throws(ConfdConfigurationError) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let elements):
            var result: [String] = []
            for element in elements {
                guard case .string(let text) = element else {
                    throw invalid("expected an array of strings")
                }
                result.append(text)
            }
            return result
        default: throw invalid("expected an array of strings, found \(value.typeName)")
        }
    }

    func endpoint(_ text: String) throws(ConfdConfigurationError) -> String {
        switch ConfdSettings.normalizeEndpoint(text) {
        case .success(let endpoint): return endpoint
        case .failure(let error): throw invalid("\"\(text)\": \(error.message)")
        }
    }

    /// `interval = 600` (seconds, as confd), `interval = 0.5` or `interval = "10s"`.
    func interval() throws(ConfdConfigurationError) -> UInt64 {
        switch ConfdSettings.interval(try durationText()) {
        case .success(let nanoseconds): return nanoseconds
        case .failure(let error): throw invalid(error.message)
        }
    }

    /// `wait = "2s:10s"`, or a number of seconds for MIN.
    func wait() throws(ConfdConfigurationError) -> QuiescenceWindow {
        let text = try durationText()
        do {
            return try QuiescenceWindow.parse(text)
        } catch {
            throw invalid(error.message)
        }
    }

    private func durationText() throws(ConfdConfigurationError) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number) where number >= 0: return String(number)
        case .float(let number) where number >= 0 && number.isFinite:
            return String(number)
        default: throw invalid("expected a duration, found \(value.typeName)")
        }
    }
}
