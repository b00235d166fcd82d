import Platform

/// Why applying a rendered resource failed. In every case but `reloadFailed` the
/// destination is exactly as it was before.
public enum ApplyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rendered output is above `ResourceApplier.renderedBytesMax`.
    case renderedTooLarge(bytes: Int)
    /// `dest` exists but is not a regular file (a directory, a device).
    case destinationNotRegularFile(path: String)
    /// A file operation failed: creating or writing the stage file, renaming, fsync.
    case file(operation: String, path: String, Errno)
    /// `check_cmd` failed on the stage file: nothing was replaced or reloaded.
    case checkFailed(CommandResult)
    /// The destination was replaced but `reload_cmd` failed; it will run again on the next
    /// apply (`ResourceState.reloadPending`).
    case reloadFailed(CommandResult, differences: [FileDifference])
    /// A command could not be started at all.
    case command(step: String, CommandRunnerError)

    public var description: String {
        switch self {
        case .renderedTooLarge(let bytes):
            "rendered output is \(bytes) bytes; the limit is \(ResourceApplier.renderedBytesMax)"
        case .destinationNotRegularFile(let path): "\(path) is not a regular file"
        case .file(let operation, let path, let errno):
            errno == .noSuchFile && operation == "create stage file"
                ? "cannot \(operation) in the directory of \(path): \(errno)"
                    + " (confd never creates it)"
                : "cannot \(operation) \(path): \(errno)"
        case .checkFailed(let result):
            "Config check failed: \(result.command): \(result.summary): \(result.outputText)"
        case .reloadFailed(let result, _):
            "reload failed (will retry on the next change): \(result.command): \(result.summary): "
                + result.outputText
        case .command(let step, let error): "cannot run \(step): \(error)"
        }
    }
}
