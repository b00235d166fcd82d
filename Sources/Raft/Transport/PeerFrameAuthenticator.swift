import Platform

/// Tags and checks the frames of one authenticated connection (protocol version 2,
/// `PeerHandshake`): each frame is followed by the first `tagBytes` of
/// HMAC-SHA-256(Ks, seq u64 big-endian ‖ frame bytes), where Ks is the connection's session
/// key and seq counts the connection's frames from 0. The sequence number is implicit:
/// both ends count, so a frame injected, dropped, replayed or reordered shifts every later
/// number and fails its tag; a frame moved to another connection fails because that
/// connection has another Ks (fresh nonces on both sides).
struct PeerFrameAuthenticator: Sendable {
    /// Bytes of a frame tag: HMAC-SHA-256 truncated to 128 bits, the shortest length
    /// RFC 2104 §5 and RFC 4231 §4.6 allow for it (at least half the output, 80 bits
    /// minimum), and as strong as forging needs: a guess succeeds once in 2^128.
    static let tagBytes = 16

    /// HMAC keyed with Ks.
    private let keyed: HMACSHA256
    /// The number of the next frame sealed (sender) or verified (receiver).
    private(set) var sequence: UInt64 = 0

    init(sessionKey: [UInt8]) {
        keyed = HMACSHA256(key: sessionKey)
    }

    /// The full MAC of frame number `sequence`, written into `output` (32 bytes).
    private func mac(
        _ frame: UnsafeRawBufferPointer, sequence: UInt64,
        into output: UnsafeMutableRawBufferPointer
    ) {
        var mac = keyed
        withUnsafeBytes(of: sequence.bigEndian) { mac.update($0) }
        mac.update(frame)
        mac.finalize(into: output)
    }

    /// Appends the next frame's tag to `frame` (length prefix and payload) and counts it.
    mutating func seal(_ frame: inout [UInt8]) {
        var full = InlineArray<32, UInt8>(repeating: 0)
        let sequence = sequence
        frame.withUnsafeBytes { bytes in
            withUnsafeMutableBytes(of: &full) { mac(bytes, sequence: sequence, into: $0) }
        }
        for index in 0..<Self.tagBytes { frame.append(full[index]) }
        self.sequence &+= 1
    }

    /// Whether `tag` is the next frame's tag for `frame`; counts the frame only if it is
    /// (a failure closes the connection anyway). Constant-time comparison.
    mutating func verify(frame: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer) -> Bool {
        var full = InlineArray<32, UInt8>(repeating: 0)
        withUnsafeMutableBytes(of: &full) { mac(frame, sequence: sequence, into: $0) }
        let matches = withUnsafeBytes(of: &full) { bytes in
            HMACSHA256.constantTimeEquals(
                UnsafeRawBufferPointer(rebasing: bytes[0..<Self.tagBytes]), tag)
        }
        if matches { sequence &+= 1 }
        return matches
    }
}
