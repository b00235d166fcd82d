/// One confd template resource: a `[template]` table in `<confdir>/conf.d/*.toml`
/// (kelseyhightower/confd `resource/template/resource.go`, reference/confd.md §1.1).
public struct TemplateResource: Sendable, Equatable {
    /// The resource file this came from, for messages.
    public var origin: String
    /// `src`: the template, relative to `<confdir>/templates`.
    public var source: String
    /// `dest`: the file to keep up to date. Its directory must exist (confd never creates it).
    public var destination: String
    /// `keys`: backend prefixes read recursively, after the effective prefix is prepended.
    public var keys: [String]
    /// `prefix` as written; a non-empty global `--prefix` replaces it (`KeyPrefixRules`).
    public var prefix: String
    /// `mode` permission bits, or nil to keep the existing destination's mode (0644 for a
    /// new file).
    public var mode: UInt32?
    /// `uid`, or nil (confd's -1) for the agent's effective uid.
    public var userID: UInt32?
    /// `gid`, or nil (confd's -1) for the agent's effective gid.
    public var groupID: UInt32?
    /// `check_cmd`, run on the stage file before it replaces the destination.
    public var checkCommand: CheckCommandTemplate?
    /// `reload_cmd`, run after the destination was replaced. A plain string, as in confd.
    public var reloadCommand: String?
    /// Things that loaded but deserve a log line: ignored `owner`/`group`, unknown keys.
    public var warnings: [String]

    public init(
        origin: String, source: String, destination: String, keys: [String] = [],
        prefix: String = "", mode: UInt32? = nil, userID: UInt32? = nil, groupID: UInt32? = nil,
        checkCommand: CheckCommandTemplate? = nil, reloadCommand: String? = nil,
        warnings: [String] = []
    ) {
        self.origin = origin
        self.source = source
        self.destination = destination
        self.keys = keys
        self.prefix = prefix
        self.mode = mode
        self.userID = userID
        self.groupID = groupID
        self.checkCommand = checkCommand
        self.reloadCommand = reloadCommand
        self.warnings = warnings
    }

    /// The prefix in force for this resource under a global `--prefix`.
    public func effectivePrefix(globalPrefix: String) -> String {
        KeyPrefixRules.effectivePrefix(globalPrefix: globalPrefix, resourcePrefix: prefix)
    }

    /// The backend prefixes to read (and watch) for this resource.
    public func fetchKeys(globalPrefix: String) -> [String] {
        KeyPrefixRules.fetchKeys(prefix: effectivePrefix(globalPrefix: globalPrefix), keys: keys)
    }

    /// The data a template sees: of `pairs` (backend keys and values), those under one of
    /// the fetch keys, keyed by their path relative to the effective prefix (with a leading
    /// "/"). A resource with no keys sees nothing, as in confd.
    public func templateValues(
        globalPrefix: String, from pairs: some Sequence<(key: String, value: String)>
    ) -> [String: String] {
        let prefix = effectivePrefix(globalPrefix: globalPrefix)
        let fetchKeys = KeyPrefixRules.fetchKeys(prefix: prefix, keys: keys)
        var values: [String: String] = [:]
        for pair in pairs
        where fetchKeys.contains(where: {
            KeyPrefixRules.selects(fetchKey: $0, backendKey: pair.key)
        }) {
            values[KeyPrefixRules.templateKey(backendKey: pair.key, prefix: prefix)] = pair.value
        }
        return values
    }
}
