import Platform

/// The first bytes on every peer connection. The dialer sends a `PeerHandshake`
/// (`byteCount` bytes, big-endian):
///
///     "RSTP" | version u8 | stream u8 | reserved u16 = 0 | clusterID u64 | fromID u64 | toID u64
///
/// and the acceptor answers with a `PeerHandshakeReply` (`PeerHandshakeReply.byteCount`):
///
///     "RSTP" | version u8 | status u8 (0 = accepted, else a `PeerRefusal`) | reserved u16 = 0
///
/// Only then do frames flow, dialer to acceptor only. Fixed sizes bound what a stranger
/// can make the acceptor buffer before it is judged. The reply lets the dialer tell
/// "refused, and why" from "connected" instead of writing into a connection that is about
/// to close.
struct PeerHandshake: Equatable, Sendable {
    static let magic: [UInt8] = Array("RSTP".utf8)
    static let version: UInt8 = 1
    static let byteCount = 32

    var stream: PeerStreamKind
    var clusterID: UInt64
    var fromID: UInt64
    var toID: UInt64

    func encode() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.byteCount)
        bytes.append(Self.version)
        bytes.append(stream.rawValue)
        bytes.append(contentsOf: [0, 0])
        for value in [clusterID, fromID, toID] { bytes.appendBigEndian(value) }
        return bytes
    }

    /// Push-style: `.needMoreBytes(consumed: 0)` until `byteCount` bytes are buffered, then
    /// the handshake and `consumed == byteCount`. A wrong magic is detected as soon as the
    /// bytes seen differ from it; a wrong version as soon as its byte is in.
    static func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<PeerHandshake> {
        try checkPrefix(input)
        guard input.count >= byteCount else { return .needMoreBytes(consumed: 0) }
        guard let stream = PeerStreamKind(rawValue: input[5]) else {
            throw .badStreamKind(input[5])
        }
        guard input[6] == 0 && input[7] == 0 else { throw .badReservedBytes }
        let handshake = PeerHandshake(
            stream: stream, clusterID: input.loadBigEndianUInt64(at: 8),
            fromID: input.loadBigEndianUInt64(at: 16), toID: input.loadBigEndianUInt64(at: 24))
        return .complete(handshake, consumed: byteCount)
    }

    /// Magic and version checks shared with the reply.
    static func checkPrefix(_ input: UnsafeRawBufferPointer) throws(PeerTransportError) {
        for index in 0..<min(input.count, magic.count) where input[index] != magic[index] {
            throw .badMagic
        }
        if input.count > magic.count, input[magic.count] != version {
            throw .unsupportedVersion(input[magic.count])
        }
    }
}

/// The acceptor's answer to a `PeerHandshake` (layout above).
struct PeerHandshakeReply: Equatable, Sendable {
    static let byteCount = 8

    /// nil: accepted.
    var refusal: PeerRefusal?

    func encode() -> [UInt8] {
        PeerHandshake.magic + [PeerHandshake.version, refusal?.rawValue ?? 0, 0, 0]
    }

    static func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<PeerHandshakeReply> {
        try PeerHandshake.checkPrefix(input)
        guard input.count >= byteCount else { return .needMoreBytes(consumed: 0) }
        guard input[6] == 0 && input[7] == 0 else { throw .badReservedBytes }
        if input[5] == 0 { return .complete(PeerHandshakeReply(refusal: nil), consumed: byteCount) }
        // An unknown refusal code is still a refusal; report it as a version problem.
        let refusal = PeerRefusal(rawValue: input[5]) ?? .unsupportedVersion
        return .complete(PeerHandshakeReply(refusal: refusal), consumed: byteCount)
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
