import Platform

/// The first bytes on every peer connection. The dialer sends a `PeerHandshake`
/// (big-endian throughout):
///
///     header (32 bytes):
///     "RSTP" | version u8 | stream u8 | reserved u16 = 0 | clusterID u64 | fromID u64 | toID u64
///
/// and the acceptor answers with a `PeerHandshakeReply` of at least 8 bytes:
///
///     "RSTP" | version u8 | status u8 (0 = accepted, else a `PeerRefusal`) | reserved u16 = 0
///
/// Only then do frames flow, dialer to acceptor only. Fixed sizes bound what a stranger
/// can make the acceptor buffer before it is judged. The reply lets the dialer tell
/// "refused, and why" from "connected" instead of writing into a connection that is about
/// to close. The first 32 bytes keep one layout in every version, so tools that read them
/// to learn who is dialing (the fault proxy of the process tests) work with both.
///
/// **Version 1** (no shared secret, `PeerTransport(secret: nil)`): exactly the above, a
/// 32-byte handshake and an 8-byte reply, then `PeerFrame`s `[len u32][payload]`.
///
/// **Version 2** (members share a secret K, `--peer-secret-file`) adds mutual
/// authentication and a MAC on every frame (MACs in `PeerAuthentication`):
///
///     dialer → acceptor   hello (64 bytes):     header (version 2) | Nd [32]
///     acceptor → dialer   reply (72 bytes):     "RSTP" | 2 | 0 | 0 0 | Na [32] | MACa [32]
///                         or a refusal (8 bytes, then close)
///     dialer → acceptor   confirmation (40 bytes, `PeerHandshakeConfirmation`):
///                                               "RSTP" | 2 | 0 | 0 0 | MACd [32]
///                         or, when MACa is wrong, "RSTP" | 2 | 8 | 0 0 (8 bytes), then close
///     dialer → acceptor   frames:               [len u32][payload][tag 16]
///
/// Nd and Na are fresh 32-byte nonces from getrandom(2). The dialer checks MACa before it
/// sends anything of its own, so an impostor acceptor never gets a frame; the acceptor
/// delivers no frame until MACd verifies, and answers a wrong MACd with a late refusal
/// ("RSTP" | 2 | 8 | 0 0) before closing. Each frame's tag is HMAC(Ks, seq ‖ len ‖
/// payload) truncated to 16 bytes (`PeerFrameAuthenticator`); the acceptor checks it before
/// decoding the message and closes the connection on a mismatch. Mixed configurations are
/// refused with a reason both ends log: an acceptor with a secret answers a version 1
/// handshake with `authenticationRequired` (in a version 1 reply, which any dialer reads),
/// one without a secret answers version 2 with `authenticationNotConfigured`.
///
/// What version 2 protects against: off-path injection and tampering, impostor members
/// (anyone without K), replay and reordering of frames or whole connections. What it does
/// not: confidentiality (payloads cross the wire in clear), nor the client port.
struct PeerHandshake: Equatable, Sendable {
    static let magic: [UInt8] = Array("RSTP".utf8)
    /// The protocol without authentication.
    static let version: UInt8 = 1
    /// The protocol with a shared secret: nonces, proofs and frame tags.
    static let authenticatedVersion: UInt8 = 2
    /// Bytes of the header, the whole handshake in version 1.
    static let byteCount = 32
    /// Bytes of the version 2 handshake: header and the dialer's nonce.
    static let authenticatedByteCount = byteCount + PeerAuthentication.nonceBytes

    var stream: PeerStreamKind
    var clusterID: UInt64
    var fromID: UInt64
    var toID: UInt64
    /// The dialer's nonce Nd: present exactly in version 2.
    var nonce: [UInt8]? = nil

    var version: UInt8 { nonce == nil ? Self.version : Self.authenticatedVersion }

    func encode() -> [UInt8] {
        precondition(nonce == nil || nonce?.count == PeerAuthentication.nonceBytes,
                     "a nonce is nonceBytes long")
        var bytes = Self.magic
        bytes.reserveCapacity(Self.authenticatedByteCount)
        bytes.append(version)
        bytes.append(stream.rawValue)
        bytes.append(contentsOf: [0, 0])
        for value in [clusterID, fromID, toID] { bytes.appendBigEndian(value) }
        if let nonce { bytes.append(contentsOf: nonce) }
        return bytes
    }

    /// Push-style: `.needMoreBytes(consumed: 0)` until the whole handshake (32 bytes in
    /// version 1, 64 in version 2) is buffered, then the handshake and `consumed` bytes. A
    /// wrong magic is detected as soon as the bytes seen differ from it; an unknown version
    /// as soon as its byte is in.
    static func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<PeerHandshake> {
        try checkPrefix(input)
        guard input.count >= byteCount else { return .needMoreBytes(consumed: 0) }
        guard let stream = PeerStreamKind(rawValue: input[5]) else {
            throw .badStreamKind(input[5])
        }
        guard input[6] == 0 && input[7] == 0 else { throw .badReservedBytes }
        var handshake = PeerHandshake(
            stream: stream, clusterID: input.loadBigEndianUInt64(at: 8),
            fromID: input.loadBigEndianUInt64(at: 16), toID: input.loadBigEndianUInt64(at: 24))
        guard input[4] == authenticatedVersion else {
            return .complete(handshake, consumed: byteCount)
        }
        guard input.count >= authenticatedByteCount else { return .needMoreBytes(consumed: 0) }
        handshake.nonce = [UInt8](UnsafeRawBufferPointer(
            rebasing: input[byteCount..<authenticatedByteCount]))
        return .complete(handshake, consumed: authenticatedByteCount)
    }

    /// Magic and version checks shared with the reply and the confirmation.
    static func checkPrefix(_ input: UnsafeRawBufferPointer) throws(PeerTransportError) {
        for index in 0..<min(input.count, magic.count) where input[index] != magic[index] {
            throw .badMagic
        }
        if input.count > magic.count,
           !(version...authenticatedVersion).contains(input[magic.count]) {
            throw .unsupportedVersion(input[magic.count])
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func appendBigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }
}

extension UnsafeRawBufferPointer {
    func loadBigEndianUInt64(at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + 8) { value = value << 8 | UInt64(self[index]) }
        return value
    }

    func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) { value = value << 8 | UInt32(self[index]) }
        return value
    }
}
