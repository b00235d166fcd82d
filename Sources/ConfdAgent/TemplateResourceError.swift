/// Why a `conf.d/*.toml` template resource could not be loaded. `origin` is the file path.
public enum TemplateResourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not valid TOML.
    case syntax(origin: String, TOMLError)
    /// The file could not be read.
    case unreadable(origin: String, reason: String)
    /// No `[template]` table.
    case missingTemplateTable(origin: String)
    /// A field has the wrong type or an invalid value.
    case invalidField(origin: String, key: String, reason: String)
    /// A required field is missing or empty (`src`, `dest`).
    case missingField(origin: String, key: String)

    public var description: String {
        switch self {
        case .syntax(let origin, let error):
            "cannot process template resource \(origin): \(error)"
        case .unreadable(let origin, let reason):
            "cannot read template resource \(origin): \(reason)"
        case .missingTemplateTable(let origin):
            "template resource \(origin) has no [template] table"
        case .invalidField(let origin, let key, let reason):
            "template resource \(origin): \(key): \(reason)"
        case .missingField(let origin, let key):
            key == "src"
                ? "template resource \(origin): empty src template"
                : "template resource \(origin): \(key) is required"
        }
    }
}
