import Platform
import Testing

@testable import Raft

@Suite("Peer wire format: frames and handshakes")
struct PeerFrameDecoderTests {
    static let message = Message(
        kind: .append, from: 1, to: 2, term: 3, logTerm: 2, index: 7,
        entries: [Entry(term: 3, index: 8, kind: .normal, data: Array("put k v".utf8))],
        commit: 6)

    /// Feeds `stream` cut at `split` the way a connection does: buffer, offer, drop consumed.
    static func decodeAll(
        _ stream: [UInt8], split: Int, decoder: PeerFrameDecoder
    ) throws(PeerTransportError) -> [[UInt8]] {
        var decoder = decoder
        var buffer = ByteQueue()
        var payloads: [[UInt8]] = []
        for piece in [Array(stream[..<split]), Array(stream[split...])] {
            buffer.append(piece)
            while true {
                let step = try Wire.frame(buffer.bytes, &decoder)
                guard case .complete(let payload, let consumed) = step else { break }
                buffer.removeFirst(consumed)
                payloads.append(payload)
            }
        }
        #expect(buffer.isEmpty)
        return payloads
    }

    @Test("two frames split at every byte decode to the same two messages (push-style parser)")
    func everySplitPoint() throws {
        let first = Self.message.encode()
        var second = Self.message
        second.index = 8
        let stream = PeerFrame.encode(payload: first) + PeerFrame.encode(payload: second.encode())
        let decoder = PeerFrameDecoder(frameBytesMax: 1024)
        for split in 0...stream.count {
            let payloads = try Self.decodeAll(stream, split: split, decoder: decoder)
            #expect(payloads.count == 2, "split \(split)")
            #expect(try payloads.map { try Message.decode($0) } == [Self.message, second])
        }
    }

    @Test("a frame of exactly frameBytesMax is accepted, one byte more is refused from its header")
    func frameLimit() throws {
        var decoder = PeerFrameDecoder(frameBytesMax: 100)
        let atLimit = PeerFrame.encode(payload: [UInt8](repeating: 1, count: 100))
        let payloads = try Self.decodeAll(atLimit, split: 0, decoder: decoder)
        #expect(payloads == [[UInt8](repeating: 1, count: 100)])
        // Only the 4-byte header of the oversized frame is needed to refuse it.
        let overHeader = Array(PeerFrame.encode(payload: [UInt8](repeating: 1, count: 101))
            .prefix(PeerFrame.headerBytes))
        #expect(throws: PeerTransportError.frameTooLarge(bytes: 101, limit: 100)) {
            _ = try Wire.frame(overHeader, &decoder)
        }
    }

    @Test("a zero-length frame is a protocol error (no encoded message is empty)")
    func emptyFrame() {
        var decoder = PeerFrameDecoder(frameBytesMax: 100)
        #expect(throws: PeerTransportError.emptyFrame) {
            _ = try Wire.frame([UInt8]([0, 0, 0, 0]), &decoder)
        }
    }

    @Test("random garbage never traps: it needs more bytes, is refused, or fails Message.decode")
    func garbage() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var generator = Raft.SeededGenerator(seed: seed)
        var decoder = PeerFrameDecoder(frameBytesMax: 4096)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...64, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Small lengths so that some garbage frames complete and reach Message.decode.
            if bytes.count >= 4 && Bool.random(using: &generator) {
                bytes[0] = 0
                bytes[1] = 0
                bytes[2] = 0
                bytes[3] = UInt8(min(bytes.count - 4, 60))
            }
            do throws(PeerTransportError) {
                let step = try Wire.frame(bytes, &decoder)
                if case .complete(let payload, let consumed) = step {
                    #expect(consumed == payload.count + 4, "seed \(seed)")
                    _ = try? Message.decode(payload)
                }
            } catch {
                #expect(error == .emptyFrame || error.isFrameTooLarge, "seed \(seed)")
            }
        }
    }

    @Test("a handshake decodes only once all 32 bytes are in, at every split point")
    func handshakeSplits() throws {
        let handshake = PeerHandshake(stream: .bulk, clusterID: 0xDEAD_BEEF, fromID: 3, toID: 9)
        let bytes = handshake.encode()
        #expect(bytes.count == PeerHandshake.byteCount)
        for length in 0...bytes.count {
            let step = try Wire.handshake(Array(bytes[..<length]))
            if length < bytes.count {
                #expect(step == .needMoreBytes(consumed: 0))
            } else {
                #expect(step == .complete(handshake, consumed: 32))
            }
        }
        let reply = PeerHandshakeReply(refusal: .clusterMismatch).encode()
        let decoded = try Wire.reply(reply)
        #expect(decoded == .complete(PeerHandshakeReply(refusal: .clusterMismatch), consumed: 8))
    }

    @Test("a wrong magic is refused from its first differing byte, a wrong version at once")
    func handshakeMagicAndVersion() {
        #expect(throws: PeerTransportError.badMagic) {
            _ = try Wire.handshake(Array("G".utf8))
        }
        #expect(throws: PeerTransportError.unsupportedVersion(3)) {
            _ = try Wire.handshake((PeerHandshake.magic + [3]))
        }
        #expect(throws: PeerTransportError.unsupportedVersion(0)) {
            _ = try Wire.handshake((PeerHandshake.magic + [0]))
        }
        var badKind = PeerHandshake(stream: .control, clusterID: 1, fromID: 1, toID: 2).encode()
        badKind[5] = 7
        #expect(throws: PeerTransportError.badStreamKind(7)) {
            _ = try Wire.handshake(badKind)
        }
    }
}

extension PeerTransportError {
    var isFrameTooLarge: Bool {
        if case .frameTooLarge = self { return true }
        return false
    }
}

/// Typed-throws decode calls over arrays (closures passed to `withUnsafeBytes` rethrow
/// untyped, so the typed error is carried out in a `Result`).
enum Wire {
    static func frame(
        _ bytes: [UInt8], _ decoder: inout PeerFrameDecoder
    ) throws(PeerTransportError) -> ParseStep<[UInt8]> {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(PeerTransportError) -> ParseStep<[UInt8]> in
                try decoder.decode(raw)
            }
        }.get()
    }

    static func handshake(_ bytes: [UInt8]) throws(PeerTransportError) -> ParseStep<PeerHandshake> {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(PeerTransportError) -> ParseStep<PeerHandshake> in
                try PeerHandshake.decode(raw)
            }
        }.get()
    }

    static func reply(
        _ bytes: [UInt8]
    ) throws(PeerTransportError) -> ParseStep<PeerHandshakeReply> {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(PeerTransportError) -> ParseStep<PeerHandshakeReply> in
                try PeerHandshakeReply.decode(raw)
            }
        }.get()
    }

    static func confirmation(
        _ bytes: [UInt8]
    ) throws(PeerTransportError) -> ParseStep<PeerHandshakeConfirmation> {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(PeerTransportError) -> ParseStep<PeerHandshakeConfirmation> in
                try PeerHandshakeConfirmation.decode(raw)
            }
        }.get()
    }
}
