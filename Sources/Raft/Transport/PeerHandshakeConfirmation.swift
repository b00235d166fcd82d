import Platform

/// The dialer's last handshake message in version 2 (layouts in `PeerHandshake`): its
/// proof MACd after it verified the acceptor's (40 bytes), or its refusal of an acceptor
/// whose proof did not verify (8 bytes), so the acceptor logs why the dialer left
/// instead of seeing a bare close. The same 8-byte prefix as a reply, so the acceptor
/// tells the two apart from the status byte, never by guessing at MAC bytes; the same
/// shape also serves the acceptor's late refusal of a wrong MACd.
struct PeerHandshakeConfirmation: Equatable, Sendable {
    /// Bytes of a refusal.
    static let byteCount = PeerHandshakeReply.byteCount
    /// Bytes of a confirmation carrying the proof.
    static let provenByteCount = byteCount + PeerAuthentication.proofBytes

    /// nil: the proof follows.
    var refusal: PeerRefusal?
    /// MACd, present exactly when `refusal` is nil.
    var proof: [UInt8]?

    func encode() -> [UInt8] {
        precondition((refusal == nil) == (proof?.count == PeerAuthentication.proofBytes),
                     "a confirmation carries a proof exactly when it is not a refusal")
        let header = PeerHandshake.magic
            + [PeerHandshake.authenticatedVersion, refusal?.rawValue ?? 0, 0, 0]
        return header + (proof ?? [])
    }

    static func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<PeerHandshakeConfirmation> {
        try PeerHandshake.checkPrefix(input)
        guard input.count >= byteCount else { return .needMoreBytes(consumed: 0) }
        guard input[4] == PeerHandshake.authenticatedVersion else {
            throw .unsupportedVersion(input[4])
        }
        guard input[6] == 0 && input[7] == 0 else { throw .badReservedBytes }
        if input[5] != 0 {
            let refusal = PeerRefusal(rawValue: input[5]) ?? .authenticationFailed
            return .complete(PeerHandshakeConfirmation(refusal: refusal), consumed: byteCount)
        }
        guard input.count >= provenByteCount else { return .needMoreBytes(consumed: 0) }
        let proof = [UInt8](UnsafeRawBufferPointer(rebasing: input[byteCount..<provenByteCount]))
        return .complete(PeerHandshakeConfirmation(refusal: nil, proof: proof),
                         consumed: provenByteCount)
    }
}
