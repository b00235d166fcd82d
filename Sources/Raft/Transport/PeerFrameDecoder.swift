import Platform

/// Frames on a peer connection after the handshake: `[payload length u32 big-endian]
/// [payload = Message.encode()]`, and on an authenticated connection (version 2) a
/// `PeerFrameAuthenticator.tagBytes` tag after the payload. The length prefix lets the
/// receiver refuse an oversized frame from its first four bytes, before buffering any of it.
enum PeerFrame {
    /// Bytes of the length prefix.
    static let headerBytes = 4

    /// One frame holding `payload`. The caller checks `frameBytesMax` first. Capacity for a
    /// tag is reserved so sealing the frame later appends in place.
    static func encode(payload: [UInt8]) -> [UInt8] {
        precondition(!payload.isEmpty && payload.count <= Int(UInt32.max),
                     "a frame payload is 1...UInt32.max bytes")
        var frame: [UInt8] = []
        frame.reserveCapacity(headerBytes + payload.count + PeerFrameAuthenticator.tagBytes)
        frame.appendBigEndian(UInt32(payload.count))
        frame.append(contentsOf: payload)
        return frame
    }
}

/// Push-style decoder of `PeerFrame`s. It never reads a socket and never retains the
/// caller's buffer: the caller buffers received bytes, offers them, and drops `consumed`.
struct PeerFrameDecoder: Sendable {
    /// Largest payload accepted (`PeerTransportLimits.frameBytesMax`).
    let frameBytesMax: Int
    /// Set on an authenticated connection: every frame must carry the next valid tag.
    var authenticator: PeerFrameAuthenticator?

    init(frameBytesMax: Int, authenticator: PeerFrameAuthenticator? = nil) {
        precondition(frameBytesMax > 0, "frameBytesMax must be positive")
        self.frameBytesMax = frameBytesMax
        self.authenticator = authenticator
    }

    /// Bytes after the payload: the tag, on an authenticated connection.
    var trailerBytes: Int { authenticator == nil ? 0 : PeerFrameAuthenticator.tagBytes }

    /// `.needMoreBytes(consumed: 0)` until a whole frame (and its tag) is buffered, then its
    /// payload and `consumed == headerBytes + payload.count + trailerBytes`. Throws as soon
    /// as the length prefix is in when it is 0 or above `frameBytesMax`, so garbage costs at
    /// most four bytes; throws `.badFrameTag` when the tag is not the next frame's, before
    /// the payload is copied or decoded.
    mutating func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<[UInt8]> {
        guard input.count >= PeerFrame.headerBytes else { return .needMoreBytes(consumed: 0) }
        let length = Int(input.loadBigEndianUInt32(at: 0))
        guard length > 0 else { throw .emptyFrame }
        guard length <= frameBytesMax else {
            throw .frameTooLarge(bytes: length, limit: frameBytesMax)
        }
        let end = PeerFrame.headerBytes + length
        let consumed = end + trailerBytes
        guard input.count >= consumed else { return .needMoreBytes(consumed: 0) }
        if authenticator != nil {
            let verified = authenticator?.verify(
                frame: UnsafeRawBufferPointer(rebasing: input[0..<end]),
                tag: UnsafeRawBufferPointer(rebasing: input[end..<consumed])) ?? false
            guard verified else { throw .badFrameTag }
        }
        let payload = [UInt8](UnsafeRawBufferPointer(rebasing: input[PeerFrame.headerBytes..<end]))
        return .complete(payload, consumed: consumed)
    }
}
