import Platform

/// Frames on a peer connection after the handshake: `[payload length u32 big-endian]
/// [payload = Message.encode()]`. The length prefix lets the receiver refuse an oversized
/// frame from its first four bytes, before buffering any of it.
enum PeerFrame {
    /// Bytes of the length prefix.
    static let headerBytes = 4

    /// One frame holding `payload`. The caller checks `frameBytesMax` first.
    static func encode(payload: [UInt8]) -> [UInt8] {
        precondition(!payload.isEmpty && payload.count <= Int(UInt32.max),
                     "a frame payload is 1...UInt32.max bytes")
        var frame: [UInt8] = []
        frame.reserveCapacity(headerBytes + payload.count)
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

    init(frameBytesMax: Int) {
        precondition(frameBytesMax > 0, "frameBytesMax must be positive")
        self.frameBytesMax = frameBytesMax
    }

    /// `.needMoreBytes(consumed: 0)` until a whole frame is buffered, then its payload and
    /// `consumed == headerBytes + payload.count`. Throws as soon as the length prefix is
    /// in when it is 0 or above `frameBytesMax`, so garbage costs at most four bytes.
    func decode(
        _ input: UnsafeRawBufferPointer
    ) throws(PeerTransportError) -> ParseStep<[UInt8]> {
        guard input.count >= PeerFrame.headerBytes else { return .needMoreBytes(consumed: 0) }
        let length = Int(input.loadBigEndianUInt32(at: 0))
        guard length > 0 else { throw .emptyFrame }
        guard length <= frameBytesMax else {
            throw .frameTooLarge(bytes: length, limit: frameBytesMax)
        }
        let end = PeerFrame.headerBytes + length
        guard input.count >= end else { return .needMoreBytes(consumed: 0) }
        let payload = [UInt8](UnsafeRawBufferPointer(rebasing: input[PeerFrame.headerBytes..<end]))
        return .complete(payload, consumed: end)
    }
}
