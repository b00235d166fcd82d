import Platform
import Raft

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the cluster's peer secret (`--peer-secret-file`): every byte of the file, as is
/// (no trimming, so what `head -c 32 /dev/urandom` wrote is the key), checked before a
/// byte is read.
///
/// Like ssh with a private key, a file that group or others may read, write or execute is
/// refused rather than warned about: anyone who can read it can join the Raft group, and
/// a warning in a log nobody reads protects nothing. `chmod 600` (or 400) fixes it.
public enum PeerSecretFile {
    /// Permission bits that must be clear: every group and other bit (ssh's 077 test).
    public static let forbiddenModeBits: mode_t = 0o077

    /// The secret in `path`, or `.peerSecretFile` saying what is wrong and how to fix it.
    public static func load(_ path: String) throws(ServerError) -> PeerSecret {
        let file: File
        do {
            file = try File.open(path, options: [])
        } catch {
            throw .peerSecretFile(path: path, problem: "cannot open it: \(error)")
        }
        defer { file.close() }
        var status = stat()
        guard fstat(file.descriptor, &status) == 0 else {
            throw .peerSecretFile(path: path, problem: "cannot stat it: \(Errno(rawValue: errno))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .peerSecretFile(path: path, problem: "not a regular file")
        }
        let mode = status.st_mode & 0o777
        guard mode & forbiddenModeBits == 0 else {
            throw .peerSecretFile(
                path: path,
                problem: "group or others have access to it (mode 0\(String(mode, radix: 8))); "
                    + "run: chmod 600 \(path)")
        }
        let size = Int(status.st_size)
        guard (PeerSecret.byteCountMin...PeerSecret.byteCountMax).contains(size) else {
            throw .peerSecretFile(path: path, problem: sizeProblem(size))
        }
        let bytes: [UInt8]
        do {
            bytes = try file.read(count: size, at: 0)
        } catch {
            throw .peerSecretFile(path: path, problem: "cannot read it: \(error)")
        }
        do {
            return try PeerSecret(bytes: bytes)
        } catch {
            // The file shrank between fstat and read.
            throw .peerSecretFile(path: path, problem: sizeProblem(bytes.count))
        }
    }

    static func sizeProblem(_ size: Int) -> String {
        "it holds \(size) bytes; a peer secret is \(PeerSecret.byteCountMin) to "
            + "\(PeerSecret.byteCountMax) bytes (make one with: "
            + "head -c 32 /dev/urandom > FILE; chmod 600 FILE)"
    }
}
