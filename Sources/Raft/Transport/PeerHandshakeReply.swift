import Platform

/// The acceptor's answer to a `PeerHandshake` (layouts there): 8 bytes, or 72 when a
/// version 2 handshake is accepted (then the acceptor's nonce Na and its proof MACa follow).
struct PeerHandshakeReply: Equatable, Sendable {
    /// Bytes of the fixed part, the whole reply in version 1 and for every refusal.
    static let byteCount = 8
    /// Bytes of an accepted version 2 reply.
    static let authenticatedByteCount =
        byteCount + PeerAuthentication.nonceBytes + PeerAuthentication.proofBytes

    /// The version of the handshake answered (a refusal may also come in version 1 from
    /// a member that speaks only that).
    var version: UInt8 = PeerHandshake.version
    /// nil: accepted.
    var refusal: PeerRefusal?
    /// Version 2 acceptance only: the acceptor's nonce Na.
    var nonce: [UInt8]? = nil
    /// Version 2 acceptance only: MACa.
    var proof: [UInt8]? = nil

    func encode() -> [UInt8] {
        var bytes = PeerHandshake.magic + [version, refusal?.rawValue ?? 0, 0, 0]
        if refusal == nil, version == PeerHandshake.authenticatedVersion {
            guard let nonce, let proof else {
                preconditionFailure("an accepted version 2 reply carries a nonce and a proof")
            }
            precondition(nonce.count == PeerAuthentication.nonceBytes
                         && proof.count == PeerAuthentication.proofBytes,
                         "nonce and proof have their fixed sizes")
            bytes += nonce + proof
        }
        return bytes
    }

    static func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<PeerHandshakeReply> {
        try PeerHandshake.checkPrefix(input)
        guard input.count >= byteCount else { return .needMoreBytes(consumed: 0) }
        guard input[6] == 0 && input[7] == 0 else { throw .badReservedBytes }
        let version = input[4]
        if input[5] != 0 {
            // An unknown refusal code is still a refusal; report it as a version problem.
            let refusal = PeerRefusal(rawValue: input[5]) ?? .unsupportedVersion
            return .complete(PeerHandshakeReply(version: version, refusal: refusal),
                             consumed: byteCount)
        }
        guard version == PeerHandshake.authenticatedVersion else {
            return .complete(PeerHandshakeReply(version: version), consumed: byteCount)
        }
        guard input.count >= authenticatedByteCount else { return .needMoreBytes(consumed: 0) }
        let nonceEnd = byteCount + PeerAuthentication.nonceBytes
        let reply = PeerHandshakeReply(
            version: version, refusal: nil,
            nonce: [UInt8](UnsafeRawBufferPointer(rebasing: input[byteCount..<nonceEnd])),
            proof: [UInt8](UnsafeRawBufferPointer(
                rebasing: input[nonceEnd..<authenticatedByteCount])))
        return .complete(reply, consumed: authenticatedByteCount)
    }
}
