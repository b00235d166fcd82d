/// Why a resource run failed.
public enum ResourceProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// confd: "Missing template: <src>".
    case missingTemplate(path: String)
    case templateUnreadable(path: String, reason: String)
    case render(path: String, ConfdRenderError)
    case apply(ApplyError)

    public var description: String {
        switch self {
        case .missingTemplate(let path): "Missing template: \(path)"
        case .templateUnreadable(let path, let reason): "cannot read template \(path): \(reason)"
        case .render(let path, let error): "unable to process template \(path): \(error)"
        case .apply(let error): error.description
        }
    }
}
