import Platform
import Raft

/// Why a server could not start or had to stop. Each message says what to do.
public enum ServerError: Error, CustomStringConvertible, Sendable {
    case badAddress(flag: String, value: String)
    case listen(address: String, Errno)
    case storage(StorageError)
    case recovery(String)
    case loops(Errno)
    /// `--peer-secret-file` cannot be used; `problem` says why and how to fix it.
    case peerSecretFile(path: String, problem: String)

    public var description: String {
        switch self {
        case .badAddress(let flag, let value):
            return "\(flag): '\(value)' is not HOST:PORT (e.g. 127.0.0.1:2379)"
        case .listen(let address, let error):
            return "cannot listen on \(address): \(error)"
        case .storage(let error):
            return "storage: \(error)"
        case .recovery(let reason):
            return "recovery failed: \(reason)"
        case .loops(let error):
            return "cannot start event loops: \(error)"
        case .peerSecretFile(let path, let problem):
            return "--peer-secret-file \(path): \(problem)"
        }
    }
}
