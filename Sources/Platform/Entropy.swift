import CGlibcShims

#if canImport(Glibc)
    import Glibc
#endif

/// Unpredictable bytes from the kernel's entropy pool (getrandom(2)), for what must not be
/// guessable: handshake nonces. Shells only; pure cores take a `SeededGenerator` instead.
public enum Entropy {
    /// Bytes per getrandom(2) call: requests of at most 256 bytes are never short once the
    /// pool is initialized (getrandom(2), "Interaction with signal handlers").
    static let requestBytesMax = 256

    /// `count` random bytes. Like `SeededGenerator.entropySeed`, a failing getrandom (ENOSYS
    /// on a pre-3.17 kernel) stops the process: a predictable nonce is not an option.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "a byte count is not negative")
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                let wanted = min(buffer.count - filled, requestBytesMax)
                guard let base = buffer.baseAddress else { return }
                do {
                    let got = try Syscall.blocking { getrandom(base + filled, wanted, 0) }
                    precondition(got > 0, "getrandom returned no bytes")
                    filled += got
                } catch {
                    preconditionFailure("getrandom failed: \(error)")
                }
            }
        }
        return bytes
    }
}
