import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// The candidate file: `.<basename of dest><digits>` in the destination's directory, so the
/// final rename stays on one filesystem and is atomic (confd `createStageFile`, which uses
/// `ioutil.TempFile(dir(dest), "."+base(dest))`).
struct StageFile {
    /// Attempts at a fresh random name before giving up (O_EXCL collisions are
    /// astronomically unlikely; this only bounds the loop).
    static let nameAttemptsMax = 16

    let path: String
    let file: File
    /// Owner, group and mode as set (chown may have been refused).
    let facts: FileFacts
    let warnings: [String]

    /// Creates the stage with `contents`, then sets the owner and `mode`. A refused chown
    /// (not root) is a warning, as confd ignores it; the compare then sees the real owner.
    static func create(
        beside destination: String, contents: [UInt8], mode: UInt32, userID: UInt32,
        groupID: UInt32
    ) throws(ApplyError) -> StageFile {
        let directory = File.parentDirectory(of: destination)
        let base = String(destination.split(separator: "/").last ?? Substring(destination))
        var attempt = 0
        while true {
            attempt += 1
            let digits = UInt64.random(in: 0..<10_000_000_000)
            let path = (directory == "/" ? "/" : directory + "/") + ".\(base)\(digits)"
            do {
                let file = try File.open(
                    path, options: [.readWrite, .create, .exclusive],
                    permissions: 0o600)
                return try fill(
                    file, path: path, contents: contents, mode: mode,
                    userID: userID, groupID: groupID)
            } catch  where error == .fileExists && attempt < nameAttemptsMax {
                continue
            } catch {
                throw .file(operation: "create stage file", path: destination, error)
            }
        }
    }

    private static func fill(
        _ file: File, path: String, contents: [UInt8], mode: UInt32, userID: UInt32,
        groupID: UInt32
    ) throws(Errno) -> StageFile {
        do {
            try file.write(contents, at: 0)
            // chown before chmod: Linux clears setuid/setgid on chown, even for root.
            var warnings: [String] = []
            if fchown(file.descriptor, userID, groupID) != 0 {
                warnings.append("cannot chown \(path) to \(userID):\(groupID): \(Errno.current)")
            }
            _ = try Syscall.blocking { fchmod(file.descriptor, mode_t(mode)) }
            let facts = try FileFacts.of(descriptor: file.descriptor)
            return StageFile(path: path, file: file, facts: facts, warnings: warnings)
        } catch {
            file.close()
            try? File.removeIfPresent(path)
            throw error
        }
    }
}
