/// Counters of one stream (control or bulk) to one peer.
public struct PeerStreamStats: Sendable, Equatable {
    /// Messages whose every byte the kernel accepted on this stream's connection.
    public var messagesSent = 0
    /// Messages given up: queue full, larger than `frameBytesMax`, or still unsent when
    /// the connection failed. Raft retransmits; the count is for metrics and tests.
    public var messagesDropped = 0
    /// Of `messagesDropped`: refused by `send` for exceeding `frameBytesMax`.
    public var messagesOversized = 0
    /// Messages waiting in the queue now.
    public var messagesQueued = 0
    /// The connection is up and its handshake was accepted.
    public var isConnected = false
    /// Connections that failed (refused, timed out, reset, or handshake refused).
    public var connectFailures = 0
    /// Of `connectFailures`: acceptors whose proof of the shared secret did not verify (a
    /// different secret, or an impostor at the peer's address). Nothing was sent to them.
    public var authenticationFailures = 0

    public init() {}
}

/// What one peer link has done, both streams.
public struct PeerLinkStats: Sendable, Equatable {
    public var control = PeerStreamStats()
    public var bulk = PeerStreamStats()
    /// The last reason this peer gave for refusing our handshake (e.g. cluster mismatch).
    public var lastRefusal: PeerRefusal?

    public init() {}

    public subscript(stream: PeerStreamKind) -> PeerStreamStats {
        get { stream == .control ? control : bulk }
        set {
            if stream == .control { control = newValue } else { bulk = newValue }
        }
    }

    public var messagesSent: Int { control.messagesSent + bulk.messagesSent }
    public var messagesDropped: Int { control.messagesDropped + bulk.messagesDropped }
    public var isConnected: Bool { control.isConnected && bulk.isConnected }
}

/// A snapshot of a `PeerTransport`'s counters, for metrics and tests.
public struct PeerTransportStats: Sendable, Equatable {
    /// Outbound links by peer id (configured peers only).
    public var peers: [UInt64: PeerLinkStats] = [:]
    /// Messages decoded from inbound connections and handed to `onMessage`.
    public var messagesReceived = 0
    /// Messages `send` was given for an id that is not a configured peer.
    public var messagesToUnknownPeers = 0
    /// Inbound handshakes accepted.
    public var inboundAccepted = 0
    /// Inbound handshakes refused, by reason (cluster mismatch, wrong target...).
    public var inboundRefused: [PeerRefusal: Int] = [:]
    /// Inbound connections closed for breaking the protocol: bad magic, oversized or empty
    /// frames, undecodable or misaddressed messages, handshake timeouts.
    public var inboundProtocolErrors = 0
    /// Of those, connections that did not finish their handshake in time.
    public var inboundHandshakeTimeouts = 0
    /// Inbound connections closed because the two members' secrets differ: the dialer's
    /// proof did not verify (also in `inboundRefused[.authenticationFailed]`), or the
    /// dialer found this member's proof wrong and said so.
    public var inboundAuthenticationFailures = 0
    /// Inbound frames whose tag did not verify (forged, altered, replayed, reordered); each
    /// closed its connection (also in `inboundProtocolErrors`).
    public var inboundBadFrameTags = 0
    /// Inbound connections closed at accept because `inboundConnectionsMax` were open.
    public var inboundOverLimit = 0
    /// Inbound connections open now.
    public var inboundConnections = 0

    public init() {}

    /// All handshakes refused, whatever the reason.
    public var inboundRefusedTotal: Int { inboundRefused.values.reduce(0, +) }
}
