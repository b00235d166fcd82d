/// HMAC-SHA-256 (RFC 2104 with SHA-256 as H, the combination RFC 4231 tests), streaming.
///
/// `init(key:)` absorbs the padded key into the inner and outer hashes once (RFC 2104 §4,
/// "precomputed" variant), so a keyed value can be copied per message and each MAC costs
/// only the message blocks plus two: the right shape for tagging many small frames under
/// one session key. A value type with no heap storage, like `SHA256`.
public struct HMACSHA256: Sendable {
    /// Bytes of a full MAC (the SHA-256 digest length).
    public static let macBytes = SHA256.digestBytes

    private var inner = SHA256()
    private var outer = SHA256()

    /// Keys longer than the block size are hashed first; shorter ones are zero-padded to it
    /// (RFC 2104 §2, step 1). Any length is accepted; RFC 2104 §3 advises at least the hash
    /// length (32 bytes) for full strength.
    public init(key: UnsafeRawBufferPointer) {
        var block = InlineArray<64, UInt8>(repeating: 0)
        if key.count > SHA256.blockBytes {
            var hasher = SHA256()
            hasher.update(key)
            withUnsafeMutableBytes(of: &block) { hasher.finalize(into: $0) }
        } else {
            for index in 0..<key.count { block[index] = key[index] }
        }
        // K XOR ipad (0x36) opens the inner hash, K XOR opad (0x5C) the outer (RFC 2104 §2).
        var padded = block
        for index in 0..<SHA256.blockBytes { padded[index] = block[index] ^ 0x36 }
        withUnsafeBytes(of: &padded) { inner.update($0) }
        for index in 0..<SHA256.blockBytes { padded[index] = block[index] ^ 0x5C }
        withUnsafeBytes(of: &padded) { outer.update($0) }
    }

    public init(key: [UInt8]) {
        self = key.withUnsafeBytes { HMACSHA256(key: $0) }
    }

    /// The MAC of `message` under `key` in one call.
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = HMACSHA256(key: key)
        mac.update(message)
        return mac.finalize()
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        inner.update(bytes)
    }

    public mutating func update(_ bytes: [UInt8]) {
        inner.update(bytes)
    }

    /// The MAC of everything fed so far (non-mutating, like `SHA256.finalize`).
    public func finalize() -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: Self.macBytes)
        mac.withUnsafeMutableBytes { finalize(into: $0) }
        return mac
    }

    /// Writes the MAC into the first `macBytes` of `output`, allocation-free.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Self.macBytes, "the output holds a whole MAC")
        // H(K XOR opad, H(K XOR ipad, text)) (RFC 2104 §2, steps 5-7).
        var innerDigest = InlineArray<32, UInt8>(repeating: 0)
        withUnsafeMutableBytes(of: &innerDigest) { inner.finalize(into: $0) }
        var outerHash = outer
        withUnsafeBytes(of: &innerDigest) { outerHash.update($0) }
        outerHash.finalize(into: output)
    }

    /// Whether two MACs (or truncated MACs) are equal, in time that depends only on their
    /// lengths, never on where they first differ: an early-exit comparison would let an
    /// attacker find a valid tag byte by byte from response timings.
    public static func constantTimeEquals(
        _ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer
    ) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in constantTimeEquals(left, right) }
        }
    }
}
