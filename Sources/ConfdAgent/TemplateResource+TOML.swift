/// Decoding a resource from TOML. Keys match case-insensitively, as BurntSushi/toml does
/// for confd (reference/confd.md §1.1); unknown keys are kept as warnings, not silently
/// dropped; `owner`/`group` are warned about because confd never implemented them.
extension TemplateResource {
    /// The largest uid/gid: `(uid_t)-1` is reserved by chown(2) to mean "unchanged".
    static let identifierMax = UInt32.max - 1

    /// Parses the bytes of a resource file; `origin` names it in errors.
    public static func parse(
        _ bytes: [UInt8], origin: String
    ) throws(TemplateResourceError)
        -> TemplateResource
    {
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(bytes)
        } catch {
            throw .syntax(origin: origin, error)
        }
        return try TemplateResource(toml: root, origin: origin)
    }

    /// Builds a resource from the root table of a resource file.
    public init(toml root: TOMLTable, origin: String) throws(TemplateResourceError) {
        var warnings: [String] = []
        let top = try Self.caseInsensitive(root, origin: origin)
        guard let (_, templateValue) = top["template"] else {
            throw .missingTemplateTable(origin: origin)
        }
        guard case .table(let table) = templateValue else {
            throw .invalidField(origin: origin, key: "template", reason: "must be a table")
        }
        for (key, _) in top.values where key.lowercased() != "template" {
            warnings.append("unknown key '\(key)' ignored")
        }
        let fields = try Self.caseInsensitive(table, origin: origin)
        let reader = FieldReader(origin: origin, fields: fields)
        let source = try reader.string("src") ?? ""
        guard !source.isEmpty else { throw .missingField(origin: origin, key: "src") }
        let destination = try reader.string("dest") ?? ""
        guard !destination.isEmpty else { throw .missingField(origin: origin, key: "dest") }
        var check: CheckCommandTemplate?
        if let text = try reader.string("check_cmd"), !text.isEmpty {
            do {
                check = try CheckCommandTemplate(text)
            } catch {
                throw .invalidField(origin: origin, key: "check_cmd", reason: error.message)
            }
        }
        let reload = try reader.string("reload_cmd")
        warnings += Self.unknownFieldWarnings(fields)
        self.init(
            origin: origin, source: source, destination: destination,
            keys: try reader.strings("keys") ?? [], prefix: try reader.string("prefix") ?? "",
            mode: try reader.mode(), userID: try reader.identifier("uid"),
            groupID: try reader.identifier("gid"), checkCommand: check,
            reloadCommand: reload?.isEmpty == false ? reload : nil, warnings: warnings)
    }

    private static let knownFields: Set<String> = [
        "src", "dest", "keys", "prefix", "mode", "uid", "gid", "check_cmd", "reload_cmd",
    ]

    private static func unknownFieldWarnings(_ fields: [String: (String, TOMLValue)]) -> [String] {
        fields.values.map(\.0).sorted().compactMap { key in
            switch key.lowercased() {
            case "owner", "group":
                "'\(key)' is ignored: confd never implemented it; set uid/gid instead"
            case let lower where !knownFields.contains(lower):
                "unknown key '\(key)' in [template] ignored"
            default: nil
            }
        }
    }

    /// Lower-cased keys; two keys differing only in case are an error (which would win is
    /// otherwise an accident of order).
    static func caseInsensitive(
        _ table: TOMLTable, origin: String
    )
        throws(TemplateResourceError) -> [String: (String, TOMLValue)]
    {
        var fields: [String: (String, TOMLValue)] = [:]
        for (key, value) in table.entries {
            let lower = key.lowercased()
            if let (existing, _) = fields[lower] {
                throw .invalidField(
                    origin: origin, key: key,
                    reason: "defined twice ('\(existing)'; keys match case-insensitively)")
            }
            fields[lower] = (key, value)
        }
        return fields
    }
}

/// Typed access to the fields of a `[template]` table.
private struct FieldReader {
    let origin: String
    let fields: [String: (String, TOMLValue)]

    func string(_ key: String) throws(TemplateResourceError) -> String? {
        guard let (_, value) = fields[key] else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    func strings(_ key: String) throws(TemplateResourceError) -> [String]? {
        guard let (_, value) = fields[key] else { return nil }
        guard case .array(let elements) = value else {
            throw wrongType(key, "an array of strings", value)
        }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                throw wrongType(key, "an array of strings", element)
            }
            result.append(text)
        }
        return result
    }

    /// `uid`/`gid`: an integer; -1 (confd's "unset" sentinel) means the agent's own id.
    func identifier(_ key: String) throws(TemplateResourceError) -> UInt32? {
        guard let (_, value) = fields[key] else { return nil }
        guard case .integer(let number) = value else { throw wrongType(key, "an integer", value) }
        if number == -1 { return nil }
        guard number >= 0, number <= Int64(TemplateResource.identifierMax) else {
            throw .invalidField(
                origin: origin, key: key,
                reason:
                    "\(number) is not a valid id (0...\(TemplateResource.identifierMax), or -1)")
        }
        return UInt32(number)
    }

    /// `mode`: a string of octal digits with a leading 0 ("0644", also "0o644"), or a TOML
    /// integer (write `0o644`). confd parses the string with base 0, so "644" means decimal
    /// 644 = 0o1204, never what anyone wants; we reject it instead (reference/confd.md §7),
    /// and reject the sticky bit, which catches the same mistake in a decimal integer.
    func mode() throws(TemplateResourceError) -> UInt32? {
        guard let (_, value) = fields["mode"] else { return nil }
        let bits: UInt32
        switch value {
        case .string(let text):
            let digits =
                text.hasPrefix("0o")
                ? text.dropFirst(2)
                : text.hasPrefix("0") ? text.dropFirst() : nil
            guard let digits, let parsed = UInt32(digits.isEmpty ? "0" : digits, radix: 8)
            else {
                throw .invalidField(
                    origin: origin, key: "mode",
                    reason: "\"\(text)\" is not an octal mode with a leading 0 (e.g. \"0644\")")
            }
            bits = parsed
        case .integer(let number):
            guard number >= 0, number <= 0o7777 else {
                throw .invalidField(
                    origin: origin, key: "mode", reason: "\(number) is outside 0...0o7777")
            }
            bits = UInt32(number)
        default:
            throw wrongType("mode", "an octal string such as \"0644\"", value)
        }
        guard bits <= 0o7777 else {
            throw .invalidField(origin: origin, key: "mode", reason: "mode is above 07777")
        }
        // The sticky bit means nothing on a regular file, but it is what a decimal integer
        // meant as octal produces: 644 = 0o1204, 755 = 0o1363, 600 = 0o1130.
        guard bits & 0o1000 == 0 else {
            throw .invalidField(
                origin: origin, key: "mode",
                reason: "0\(String(bits, radix: 8)) sets the sticky bit; "
                    + "an octal mode is written \"0644\" or 0o644")
        }
        return bits
    }

    private func wrongType(
        _ key: String, _ expected: String, _ value: TOMLValue
    )
        -> TemplateResourceError
    {
        .invalidField(
            origin: origin, key: fields[key]?.0 ?? key,
            reason: "expected \(expected), found \(value.typeName)")
    }
}
