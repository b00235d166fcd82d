import Platform

/// Operating errors of the peer transport: a socket call failed or a peer sent bytes that
/// break the wire protocol. Protocol errors close the one connection, never the transport.
public enum PeerTransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A socket call failed (listen, bind, connect, read, write).
    case socket(Errno)
    /// A frame announced more payload bytes than `PeerTransportLimits.frameBytesMax`.
    case frameTooLarge(bytes: Int, limit: Int)
    /// A frame with an empty payload: no encoded `Message` is empty.
    case emptyFrame
    /// The first bytes are not the "RSTP" magic: not a Roost peer (or a scanner).
    case badMagic
    /// The handshake carries a protocol version this build does not speak.
    case unsupportedVersion(UInt8)
    /// The handshake names a stream kind that does not exist.
    case badStreamKind(UInt8)
    /// Reserved handshake bytes were not zero (a corrupt or future handshake).
    case badReservedBytes
    /// The acceptor refused the handshake, for the reason given.
    case refused(PeerRefusal)
    /// A frame payload is not a valid `Message` encoding.
    case malformedMessage(RaftError)
    /// A message's `from`/`to` do not match the handshake of its connection.
    case misaddressedMessage(from: UInt64, to: UInt64)
    /// Bytes arrived where the protocol allows none (an acceptor talking after its reply).
    case unexpectedBytes
    /// The acceptor's proof of the shared secret did not verify (version 2): its secret
    /// differs from ours, or it is an impostor. The dialer refuses it and sends nothing.
    case authenticationFailed
    /// The acceptor answered a version 2 handshake in version 1 while accepting it: it
    /// would take frames without checking them, so the dialer does not send any.
    case authenticationDowngraded
    /// A frame's tag did not verify: forged, altered, replayed, reordered or moved from
    /// another connection. The connection is closed before the message is decoded.
    case badFrameTag
    /// A peer secret outside `PeerSecret.byteCountMin...byteCountMax` bytes.
    case secretSize(bytes: Int)

    public var description: String {
        switch self {
        case .socket(let errno): "socket error: \(errno)"
        case .frameTooLarge(let bytes, let limit):
            "frame of \(bytes) bytes exceeds frameBytesMax \(limit)"
        case .emptyFrame: "empty frame"
        case .badMagic: "not a Roost peer connection (bad magic)"
        case .unsupportedVersion(let version): "unsupported peer protocol version \(version)"
        case .badStreamKind(let raw): "unknown stream kind \(raw)"
        case .badReservedBytes: "reserved handshake bytes are not zero"
        case .refused(let reason): "handshake refused: \(reason)"
        case .malformedMessage(let error): "malformed message: \(error)"
        case .misaddressedMessage(let from, let to):
            "message from \(from) to \(to) does not match its connection"
        case .unexpectedBytes: "unexpected bytes from the acceptor"
        case .authenticationFailed:
            "the peer's proof of the shared secret did not verify (a different "
                + "--peer-secret-file, or not a member)"
        case .authenticationDowngraded:
            "the peer accepted an authenticated handshake without authenticating"
        case .badFrameTag: "frame tag did not verify (forged, altered, replayed or reordered)"
        case .secretSize(let bytes):
            "a peer secret of \(bytes) bytes; it must hold \(PeerSecret.byteCountMin) to "
                + "\(PeerSecret.byteCountMax) bytes"
        }
    }
}

/// Why an acceptor refused a handshake. Sent back to the dialer as one byte so both ends
/// log the same clear reason.
public enum PeerRefusal: UInt8, Error, Sendable, Hashable, CustomStringConvertible {
    /// The dialer belongs to another cluster (its cluster id differs): a member of another
    /// cluster, or a reused address, must never exchange Raft messages with this one.
    case clusterMismatch = 1
    /// The dialer meant another member (`toID` is not the acceptor's id): a stale address.
    case wrongTarget = 2
    /// The dialer's id is 0 (no member) or the acceptor's own id.
    case badSender = 3
    /// The dialer speaks a protocol version the acceptor does not.
    case unsupportedVersion = 4
    /// The dialer named a stream kind the acceptor does not know.
    case badStreamKind = 5
    /// The acceptor has a peer secret and the dialer did not authenticate (version 1): a
    /// member started without `--peer-secret-file`, or not a member at all.
    case authenticationRequired = 6
    /// The dialer authenticates (version 2) but the acceptor has no peer secret: the
    /// members' `--peer-secret-file` settings differ.
    case authenticationNotConfigured = 7
    /// A proof of the shared secret did not verify: the two members' secrets differ. Sent
    /// by an acceptor about MACd, or by a dialer about MACa in its confirmation.
    case authenticationFailed = 8

    public var description: String {
        switch self {
        case .clusterMismatch: "cluster id mismatch"
        case .wrongTarget: "wrong target member id"
        case .badSender: "invalid sender member id"
        case .unsupportedVersion: "unsupported protocol version"
        case .badStreamKind: "unknown stream kind"
        case .authenticationRequired:
            "authentication required (the acceptor has --peer-secret-file, the dialer has none)"
        case .authenticationNotConfigured:
            "authentication not configured (the dialer has --peer-secret-file, the acceptor "
                + "has none)"
        case .authenticationFailed: "authentication failed (the peer secrets differ)"
        }
    }
}
