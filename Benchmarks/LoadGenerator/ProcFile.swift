#if canImport(Glibc)
    import Glibc
#endif

/// One read of a small /proc file (proc(5)): the kernel writes these whole on the first
/// read, so one read of up to `bytesMax` bytes sees a consistent snapshot.
enum ProcFile {
    /// The file's bytes, or nil when it cannot be opened or is empty (the process is gone).
    static func read(_ path: String, bytesMax: Int) -> ArraySlice<UInt8>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: bytesMax)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, bytesMax) }
        guard count > 0 else { return nil }
        return buffer[..<count]
    }
}
