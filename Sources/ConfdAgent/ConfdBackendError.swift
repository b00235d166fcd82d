import RoostClient

/// Why the agent could not read what its templates need. Every case is retried: the next
/// change, interval or backoff tries again, and the files on disk stay as they were.
public enum ConfdBackendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No endpoint answered, or one answered with an error.
    case client(ClientError)
    /// A pass would read more services than `ConfdBackend.catalogServicesMax`.
    case tooManyServices(count: Int)

    public var description: String {
        switch self {
        case .client(let error): "\(error)"
        case .tooManyServices(let count):
            "templates would read \(count) services; a pass reads at most "
                + "\(ConfdBackend.catalogServicesMax)"
        }
    }
}
