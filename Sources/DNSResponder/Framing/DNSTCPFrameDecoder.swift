import Platform

/// Splits a TCP byte stream into DNS messages: each is preceded by a 2-byte big-endian
/// length (RFC 1035 §4.2.2, RFC 7766 §8). Push-style and stateless: it takes nothing until
/// a whole frame is present, so the caller buffers at most one frame
/// (`frameBytesMax`) plus whatever arrived after it.
public enum DNSTCPFrameDecoder {
    /// The length prefix plus the largest message it can describe.
    public static let frameBytesMax = 2 + DNSLimits.messageBytesMax

    /// `.complete(message, consumed: 2 + length)` when a whole frame is at the front of
    /// `bytes`, otherwise `.needMoreBytes(consumed: 0)`. A zero-length frame yields an
    /// empty message (the responder drops it: it has no header).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> ParseStep<[UInt8]> {
        guard bytes.count >= 2 else { return .needMoreBytes(consumed: 0) }
        let length = Int(bytes[0]) << 8 | Int(bytes[1])
        guard bytes.count >= 2 + length else { return .needMoreBytes(consumed: 0) }
        return .complete(Array(bytes[2..<2 + length]), consumed: 2 + length)
    }

    /// True when a whole frame is at the front of `bytes` (checks without copying).
    public static func hasWholeFrame(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes.count >= 2 + (Int(bytes[0]) << 8 | Int(bytes[1]))
    }

    /// `message` with its length prefix, ready to write in one call (RFC 7766 §8 asks
    /// for prefix and message together).
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        precondition(message.count <= DNSLimits.messageBytesMax, "a DNS message fits 16 bits")
        var framed: [UInt8] = []
        framed.reserveCapacity(message.count + 2)
        framed.append(UInt8(message.count >> 8))
        framed.append(UInt8(message.count & 0xFF))
        framed.append(contentsOf: message)
        return framed
    }
}
