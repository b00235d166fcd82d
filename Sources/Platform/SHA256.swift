/// SHA-256 (FIPS 180-4 §6.2), streaming: `update` any number of times, then `finalize`.
///
/// A value type with no heap storage: the chaining state, the partial block and the
/// message schedule live inline (on the stack), so a copy is cheap (HMAC keeps two keyed
/// copies and clones them per message) and hashing allocates nothing but the digest
/// array. Whole 64-byte blocks are compressed straight from the caller's buffer.
public struct SHA256: Sendable {
    /// Bytes of a digest (256 bits).
    public static let digestBytes = 32
    /// Bytes of one message block (512 bits, FIPS 180-4 §1).
    public static let blockBytes = 64

    /// The chaining value H(i), starting from H(0) of FIPS 180-4 §5.3.3.
    private var state: InlineArray<8, UInt32> = [
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A,
        0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19,
    ]
    /// Bytes waiting for a whole block; only the first `pendingCount` are meaningful.
    private var pending = InlineArray<64, UInt8>(repeating: 0)
    private var pendingCount = 0
    /// Message length so far in bytes; the padding carries it in bits (mod 2^64).
    private var totalBytes: UInt64 = 0

    public init() {}

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        totalBytes &+= UInt64(bytes.count)
        var offset = 0
        if pendingCount > 0 {
            offset = fillPending(from: bytes)
            guard pendingCount == Self.blockBytes else { return }
            compressPending()
        }
        while bytes.count - offset >= Self.blockBytes {
            Self.compress(
                &state,
                UnsafeRawBufferPointer(
                    rebasing: bytes[offset..<(offset + Self.blockBytes)]))
            offset += Self.blockBytes
        }
        if offset < bytes.count {
            _ = fillPending(from: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// The digest of everything fed so far. Non-mutating: hashing may continue after it.
    public func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.digestBytes)
        digest.withUnsafeMutableBytes { finalize(into: $0) }
        return digest
    }

    /// Writes the digest into the first `digestBytes` of `output`, allocation-free.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Self.digestBytes, "the output holds a whole digest")
        var copy = self
        copy.pad()
        for index in 0..<8 {
            output.storeBytes(
                of: copy.state[index].bigEndian, toByteOffset: index * 4, as: UInt32.self)
        }
    }

    /// Padding (FIPS 180-4 §5.1.1): a 1 bit, zeros up to 448 mod 512 bits, then the message
    /// length in bits as a 64-bit big-endian integer.
    private mutating func pad() {
        let lengthBits = totalBytes &<< 3
        pending[pendingCount] = 0x80
        pendingCount += 1
        if pendingCount > Self.blockBytes - 8 {
            for index in pendingCount..<Self.blockBytes { pending[index] = 0 }
            compressPending()
        }
        for index in pendingCount..<(Self.blockBytes - 8) { pending[index] = 0 }
        for index in 0..<8 {
            let shift = UInt64(56 - 8 * index)
            pending[Self.blockBytes - 8 + index] = UInt8(truncatingIfNeeded: lengthBits >> shift)
        }
        pendingCount = Self.blockBytes
        compressPending()
    }

    /// Copies as much of `bytes` as fits into the partial block; returns how many.
    private mutating func fillPending(from bytes: UnsafeRawBufferPointer) -> Int {
        let taken = min(bytes.count, Self.blockBytes - pendingCount)
        let start = pendingCount
        withUnsafeMutableBytes(of: &pending) { block in
            UnsafeMutableRawBufferPointer(rebasing: block[start..<(start + taken)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<taken]))
        }
        pendingCount += taken
        return taken
    }

    private mutating func compressPending() {
        var block = pending
        withUnsafeBytes(of: &block) { Self.compress(&state, $0) }
        pendingCount = 0
    }

    /// The compression function of FIPS 180-4 §6.2.2 on one 64-byte block.
    private static func compress(
        _ state: inout InlineArray<8, UInt32>, _ block: UnsafeRawBufferPointer
    ) {
        // §6.2.2 step 1: the message schedule W0...W63.
        var schedule = InlineArray<64, UInt32>(repeating: 0)
        for t in 0..<16 {
            let word = block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self)
            schedule[t] = UInt32(bigEndian: word)
        }
        for t in 16..<64 {
            schedule[t] =
                smallSigma1(schedule[t - 2]) &+ schedule[t - 7]
                &+ smallSigma0(schedule[t - 15]) &+ schedule[t - 16]
        }
        // Steps 2-4: 64 rounds over the working variables a...h, then add into H(i-1).
        var (a, b, c, d) = (state[0], state[1], state[2], state[3])
        var (e, f, g, h) = (state[4], state[5], state[6], state[7])
        for t in 0..<64 {
            let t1 = h &+ bigSigma1(e) &+ ((e & f) ^ (~e & g)) &+ roundConstants[t] &+ schedule[t]
            let t2 = bigSigma0(a) &+ ((a & b) ^ (a & c) ^ (b & c))
            (h, g, f, e) = (g, f, e, d &+ t1)
            (d, c, b, a) = (c, b, a, t1 &+ t2)
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
        state[5] &+= f
        state[6] &+= g
        state[7] &+= h
    }

    // The four functions of FIPS 180-4 §4.1.2 (4.4 to 4.7).
    @inline(__always) private static func bigSigma0(_ x: UInt32) -> UInt32 {
        rotateRight(x, 2) ^ rotateRight(x, 13) ^ rotateRight(x, 22)
    }

    @inline(__always) private static func bigSigma1(_ x: UInt32) -> UInt32 {
        rotateRight(x, 6) ^ rotateRight(x, 11) ^ rotateRight(x, 25)
    }

    @inline(__always) private static func smallSigma0(_ x: UInt32) -> UInt32 {
        rotateRight(x, 7) ^ rotateRight(x, 18) ^ (x >> 3)
    }

    @inline(__always) private static func smallSigma1(_ x: UInt32) -> UInt32 {
        rotateRight(x, 17) ^ rotateRight(x, 19) ^ (x >> 10)
    }

    @inline(__always) private static func rotateRight(_ x: UInt32, _ count: UInt32) -> UInt32 {
        (x >> count) | (x << (32 - count))
    }

    /// K0...K63 (FIPS 180-4 §4.2.2): the first 32 bits of the fractional parts of the cube
    /// roots of the first 64 primes.
    private static let roundConstants: InlineArray<64, UInt32> = [
        0x428A_2F98, 0x7137_4491, 0xB5C0_FBCF, 0xE9B5_DBA5, 0x3956_C25B, 0x59F1_11F1,
        0x923F_82A4, 0xAB1C_5ED5, 0xD807_AA98, 0x1283_5B01, 0x2431_85BE, 0x550C_7DC3,
        0x72BE_5D74, 0x80DE_B1FE, 0x9BDC_06A7, 0xC19B_F174, 0xE49B_69C1, 0xEFBE_4786,
        0x0FC1_9DC6, 0x240C_A1CC, 0x2DE9_2C6F, 0x4A74_84AA, 0x5CB0_A9DC, 0x76F9_88DA,
        0x983E_5152, 0xA831_C66D, 0xB003_27C8, 0xBF59_7FC7, 0xC6E0_0BF3, 0xD5A7_9147,
        0x06CA_6351, 0x1429_2967, 0x27B7_0A85, 0x2E1B_2138, 0x4D2C_6DFC, 0x5338_0D13,
        0x650A_7354, 0x766A_0ABB, 0x81C2_C92E, 0x9272_2C85, 0xA2BF_E8A1, 0xA81A_664B,
        0xC24B_8B70, 0xC76C_51A3, 0xD192_E819, 0xD699_0624, 0xF40E_3585, 0x106A_A070,
        0x19A4_C116, 0x1E37_6C08, 0x2748_774C, 0x34B0_BCB5, 0x391C_0CB3, 0x4ED8_AA4A,
        0x5B9C_CA4F, 0x682E_6FF3, 0x748F_82EE, 0x78A5_636F, 0x84C8_7814, 0x8CC7_0208,
        0x90BE_FFFA, 0xA450_6CEB, 0xBEF9_A3F7, 0xC671_78F2,
    ]
}
