import Platform

/// The secret every member of a cluster shares to authenticate its peer links
/// (`--peer-secret-file`; protocol in `PeerHandshake`). Only the HMAC-keyed state is kept,
/// never the raw bytes, and the value prints as a placeholder so no log line, error or
/// debugger dump can leak it.
public struct PeerSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Fewest secret bytes accepted: 128 bits, the key length below which RFC 2104 §3 says
    /// HMAC's strength drops (it recommends at least the 32-byte hash output; 32 random bytes
    /// from /dev/urandom are what docs/operations.md tells operators to generate).
    public static let byteCountMin = 16
    /// Most secret bytes accepted: far more than any useful key (longer keys are hashed to 32
    /// bytes anyway, RFC 2104 §2), small enough that a wrong path (a log, a disk image)
    /// is refused instead of read into memory.
    public static let byteCountMax = 4096

    /// HMAC-SHA-256 keyed with the secret (inner and outer pads absorbed).
    let keyed: HMACSHA256
    /// How many bytes the secret had (for messages; says nothing useful to an attacker).
    public let byteCount: Int

    /// Throws `.secretSize` when `bytes` holds fewer than `byteCountMin` or more than
    /// `byteCountMax` bytes.
    public init(bytes: [UInt8]) throws(PeerTransportError) {
        guard (Self.byteCountMin...Self.byteCountMax).contains(bytes.count) else {
            throw .secretSize(bytes: bytes.count)
        }
        keyed = HMACSHA256(key: bytes)
        byteCount = bytes.count
    }

    /// HMAC(K, parts concatenated), fed without building the concatenation.
    func mac(_ parts: [UInt8]...) -> [UInt8] {
        var mac = keyed
        for part in parts { mac.update(part) }
        return mac.finalize()
    }

    public var description: String { "PeerSecret(\(byteCount) bytes, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
