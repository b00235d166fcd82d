import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// The file steps of an apply: comparing contents and replacing the destination.
extension ResourceApplier {
    /// Chunk size for comparing the destination with the rendered bytes.
    static let compareChunkBytes = 64 * 1024

    func fileOperation<Value>(
        _ operation: String, _ path: String, _ body: () throws(Errno) -> Value
    ) throws(ApplyError) -> Value {
        do {
            return try body()
        } catch {
            throw .file(operation: operation, path: path, error)
        }
    }

    /// Byte-for-byte comparison (stronger than confd's MD5, and it stops at the first
    /// difference). Sizes are compared first, so most changes cost no read at all.
    func contentsEqual(
        _ path: String, _ facts: FileFacts, _ rendered: [UInt8]
    )
        throws(ApplyError) -> Bool
    {
        guard facts.sizeBytes == rendered.count else { return false }
        return try fileOperation("read", path) { () throws(Errno) -> Bool in
            let file = try File.open(path, options: [])
            defer { file.close() }
            var offset = 0
            while offset < rendered.count {
                let chunk = try file.read(
                    count: min(Self.compareChunkBytes, rendered.count - offset), at: offset)
                guard !chunk.isEmpty, chunk[...] == rendered[offset..<offset + chunk.count] else {
                    return false
                }
                offset += chunk.count
            }
            // A file that grew since stat is different too.
            return try file.read(count: 1, at: offset).isEmpty
        }
    }

    /// fsync the stage, rename it over the destination, fsync the directory. If the rename
    /// fails with EBUSY (a bind-mounted single file, as in Docker or Kubernetes), rewrite
    /// the destination in place like confd does; returns true in that case.
    func replace(
        _ destination: String, with stage: StageFile, rendered: [UInt8]
    )
        throws(ApplyError) -> Bool
    {
        try fileOperation("fsync", stage.path) { () throws(Errno) in try stage.file.synchronize() }
        do {
            try File.rename(stage.path, to: destination)
        } catch  where error == Errno(rawValue: EBUSY) {
            try rewriteInPlace(destination, stage: stage, rendered: rendered)
            try? File.removeIfPresent(stage.path)
            return true
        } catch {
            throw .file(operation: "rename stage file to", path: destination, error)
        }
        let directory = File.parentDirectory(of: destination)
        try fileOperation("fsync directory", directory) { () throws(Errno) in
            try File.synchronizeDirectory(directory)
        }
        return false
    }

    private func rewriteInPlace(
        _ destination: String, stage: StageFile, rendered: [UInt8]
    )
        throws(ApplyError)
    {
        try fileOperation("rewrite", destination) { () throws(Errno) in
            let file = try File.open(destination, options: [.readWrite, .truncate])
            defer { file.close() }
            try file.write(rendered, at: 0)
            _ = fchown(file.descriptor, stage.facts.userID, stage.facts.groupID)
            _ = try Syscall.blocking { fchmod(file.descriptor, mode_t(stage.facts.mode)) }
            try file.synchronize()
        }
    }
}
