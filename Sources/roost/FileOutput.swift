#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered writes to stdout/stderr, so output interleaves correctly with a server's
/// log lines and reaches a pipe before the process exits.
struct FileOutput {
    let descriptor: Int32

    static let standardOutput = FileOutput(descriptor: 1)
    static let standardError = FileOutput(descriptor: 2)

    func write(_ text: String) {
        write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { whole in
                Glibc.write(descriptor, whole.baseAddress.map { $0 + offset }, whole.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
