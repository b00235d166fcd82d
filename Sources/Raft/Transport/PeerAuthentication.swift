import Platform

/// The MACs of the version 2 handshake (`PeerHandshake`), all HMAC-SHA-256 (RFC 2104)
/// under the shared secret K:
///
///     MACa = HMAC(K, "roost-peer-acceptor" ‖ hello ‖ Na)    acceptor → dialer
///     MACd = HMAC(K, "roost-peer-dialer"   ‖ hello ‖ Na)    dialer → acceptor
///     Ks   = HMAC(K, "roost-peer-session"  ‖ Nd ‖ Na)       session key for frame tags
///
/// where hello is the dialer's 64 handshake bytes (the 32-byte header, then Nd). The
/// labels keep the three apart (a MAC of one role is never valid for another: different
/// labels, and the inputs have different lengths), and hello binds both proofs to the
/// cluster id, member ids, stream kind and version, so none can be altered or downgraded
/// in flight. Each side contributes a fresh nonce, so neither proof nor session key can be
/// replayed from an earlier connection.
enum PeerAuthentication {
    /// Bytes of a nonce: 256 bits from getrandom(2), never repeated in practice.
    static let nonceBytes = 32
    /// Bytes of a handshake proof: a full HMAC-SHA-256 (once per connection, so no reason
    /// to truncate).
    static let proofBytes = HMACSHA256.macBytes

    static let acceptorLabel = Array("roost-peer-acceptor".utf8)
    static let dialerLabel = Array("roost-peer-dialer".utf8)
    static let sessionLabel = Array("roost-peer-session".utf8)

    /// A fresh nonce (shell code: the transport may draw entropy, the Raft core may not).
    static func freshNonce() -> [UInt8] {
        Entropy.bytes(count: nonceBytes)
    }

    static func acceptorProof(
        _ secret: PeerSecret, hello: [UInt8], acceptorNonce: [UInt8]
    ) -> [UInt8] {
        secret.mac(acceptorLabel, hello, acceptorNonce)
    }

    static func dialerProof(
        _ secret: PeerSecret, hello: [UInt8], acceptorNonce: [UInt8]
    ) -> [UInt8] {
        secret.mac(dialerLabel, hello, acceptorNonce)
    }

    /// The frame authenticator both ends of one connection derive from the two nonces.
    static func session(
        _ secret: PeerSecret, dialerNonce: [UInt8], acceptorNonce: [UInt8]
    ) -> PeerFrameAuthenticator {
        PeerFrameAuthenticator(sessionKey: secret.mac(sessionLabel, dialerNonce, acceptorNonce))
    }
}
