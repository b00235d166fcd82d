import Platform
import Testing

@testable import Raft

/// The version 2 (authenticated) wire format of `PeerHandshake`: hello, reply,
/// confirmation, tagged frames, and the MACs that bind them.
@Suite("Peer wire format: authenticated handshake and frame tags (protocol version 2)")
struct PeerAuthenticationCodecTests {
    static let secretBytes: [UInt8] = Array(0..<32)
    static let dialerNonce = [UInt8](repeating: 0x11, count: 32)
    static let acceptorNonce = [UInt8](repeating: 0x22, count: 32)
    static let handshake = PeerHandshake(
        stream: .control, clusterID: 0xC1A5_7E00, fromID: 1, toID: 2, nonce: dialerNonce)

    static func secret(_ bytes: [UInt8] = secretBytes) throws -> PeerSecret {
        try PeerSecret(bytes: bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test("a version 2 handshake is 64 bytes, decodes only once all are in (every split point)")
    func helloSplits() throws {
        let bytes = Self.handshake.encode()
        #expect(bytes.count == PeerHandshake.authenticatedByteCount)
        #expect(bytes.count == 64)
        for length in 0...bytes.count {
            let step = try Wire.handshake(Array(bytes[..<length]))
            if length < bytes.count {
                #expect(step == .needMoreBytes(consumed: 0), "length \(length)")
            } else {
                #expect(step == .complete(Self.handshake, consumed: 64))
            }
        }
    }

    @Test("the first 32 bytes of a version 2 handshake keep the version 1 layout (fault proxy)")
    func helloPrefixCompatible() {
        var v1 = Self.handshake
        v1.nonce = nil
        let v1Bytes = v1.encode()
        let v2Bytes = Self.handshake.encode()
        #expect(v1Bytes.count == 32)
        #expect(Array(v2Bytes[0..<4]) == Array(v1Bytes[0..<4]))
        #expect(v2Bytes[4] == 2 && v1Bytes[4] == 1)
        #expect(Array(v2Bytes[5..<32]) == Array(v1Bytes[5..<32]))
        #expect(Array(v2Bytes[32...]) == Self.dialerNonce)
    }

    @Test("an accepted version 2 reply is 72 bytes and decodes at every split point")
    func replySplits() throws {
        let proof = [UInt8](repeating: 0x33, count: 32)
        let reply = PeerHandshakeReply(
            version: 2, refusal: nil, nonce: Self.acceptorNonce, proof: proof)
        let bytes = reply.encode()
        #expect(bytes.count == PeerHandshakeReply.authenticatedByteCount)
        #expect(bytes.count == 72)
        for length in 0...bytes.count {
            let step = try Wire.reply(Array(bytes[..<length]))
            if length < bytes.count {
                #expect(step == .needMoreBytes(consumed: 0), "length \(length)")
            } else {
                #expect(step == .complete(reply, consumed: 72))
            }
        }
    }

    @Test("a refusal is 8 bytes in either version, with its reason, so any dialer can read it")
    func refusalReplies() throws {
        for version: UInt8 in [1, 2] {
            for refusal in [PeerRefusal.authenticationRequired, .authenticationNotConfigured,
                            .authenticationFailed] {
                let bytes = PeerHandshakeReply(version: version, refusal: refusal).encode()
                #expect(bytes.count == 8)
                #expect(try Wire.reply(bytes) == .complete(
                    PeerHandshakeReply(version: version, refusal: refusal), consumed: 8))
            }
        }
    }

    @Test("a confirmation decodes once its 40 bytes (proof) or 8 (refusal) are in, every split")
    func confirmationSplits() throws {
        let proven = PeerHandshakeConfirmation(
            refusal: nil, proof: [UInt8](repeating: 0x44, count: 32))
        let refused = PeerHandshakeConfirmation(refusal: .authenticationFailed, proof: nil)
        for confirmation in [proven, refused] {
            let bytes = confirmation.encode()
            #expect(bytes.count == (confirmation.proof == nil ? 8 : 40))
            for length in 0...bytes.count {
                let step = try Wire.confirmation(Array(bytes[..<length]))
                if length < bytes.count {
                    #expect(step == .needMoreBytes(consumed: 0), "length \(length)")
                } else {
                    #expect(step == .complete(confirmation, consumed: bytes.count))
                }
            }
        }
        #expect(throws: PeerTransportError.unsupportedVersion(1)) {
            _ = try Wire.confirmation(PeerHandshake.magic + [1, 0, 0, 0])
        }
    }

    @Test("MACa, MACd, Ks and frame tags match values computed independently (RFC 2104 HMAC)")
    func knownAnswers() throws {
        // Computed with Python's hmac and hashlib from the layouts in PeerHandshake.
        let secret = try Self.secret()
        let hello = Self.handshake.encode()
        let acceptor = PeerAuthentication.acceptorProof(
            secret, hello: hello, acceptorNonce: Self.acceptorNonce)
        let dialer = PeerAuthentication.dialerProof(
            secret, hello: hello, acceptorNonce: Self.acceptorNonce)
        #expect(Self.hex(acceptor)
                == "d8bc6b385a34acd0434ea677f097abd3bbcb896c4cca36289f440c046be38889")
        #expect(Self.hex(dialer)
                == "67d5a11cf2da99778e351523f3895ee5b527108399b139e2928fbf0c9cd3533d")
        var session = PeerAuthentication.session(
            secret, dialerNonce: Self.dialerNonce, acceptorNonce: Self.acceptorNonce)
        var first = PeerFrame.encode(payload: Array("abc".utf8))
        var second = first
        session.seal(&first)
        session.seal(&second)
        #expect(Self.hex(Array(first[7...])) == "6c3ba93ea4d52cb028dd1e30a41b2518")
        #expect(Self.hex(Array(second[7...])) == "733e819037508a93f81a5f8c130e9001")
    }

    @Test("a proof depends on every handshake byte, both nonces and the secret")
    func proofsBindEverything() throws {
        let secret = try Self.secret()
        let hello = Self.handshake.encode()
        let proof = PeerAuthentication.acceptorProof(
            secret, hello: hello, acceptorNonce: Self.acceptorNonce)
        for index in hello.indices {
            var altered = hello
            altered[index] ^= 0x01
            #expect(PeerAuthentication.acceptorProof(
                secret, hello: altered, acceptorNonce: Self.acceptorNonce) != proof, "\(index)")
        }
        var otherNonce = Self.acceptorNonce
        otherNonce[31] ^= 0x80
        #expect(PeerAuthentication.acceptorProof(secret, hello: hello, acceptorNonce: otherNonce)
                != proof)
        var otherSecret = Self.secretBytes
        otherSecret[0] ^= 0x01
        #expect(PeerAuthentication.acceptorProof(
            try Self.secret(otherSecret), hello: hello, acceptorNonce: Self.acceptorNonce)
            != proof)
    }

    /// A decoder and a sealer sharing the session of the fixed nonces.
    static func sessionPair() throws -> (PeerFrameAuthenticator, PeerFrameDecoder) {
        let session = PeerAuthentication.session(
            try secret(), dialerNonce: dialerNonce, acceptorNonce: acceptorNonce)
        return (session, PeerFrameDecoder(frameBytesMax: 1024, authenticator: session))
    }

    static func sealed(_ payloads: [[UInt8]], _ sealer: inout PeerFrameAuthenticator) -> [UInt8] {
        payloads.flatMap { payload in
            var frame = PeerFrame.encode(payload: payload)
            sealer.seal(&frame)
            return frame
        }
    }

    @Test("two tagged frames split at every byte decode to the same two payloads (push-style)")
    func taggedFrameSplits() throws {
        var (sealer, decoder) = try Self.sessionPair()
        let payloads = [Array("first".utf8), Array("second frame".utf8)]
        let stream = Self.sealed(payloads, &sealer)
        #expect(stream.count == 2 * (4 + 16) + 5 + 12)
        for split in 0...stream.count {
            #expect(try PeerFrameDecoderTests.decodeAll(stream, split: split, decoder: decoder)
                    == payloads, "split \(split)")
        }
        // The length prefix still counts only the payload: the limit is unchanged.
        #expect(throws: PeerTransportError.frameTooLarge(bytes: 1025, limit: 1024)) {
            _ = try Wire.frame([0, 0, 0x04, 0x01], &decoder)
        }
    }

    @Test("flipping any one bit of a tagged frame (length, payload or tag) is refused")
    func bitFlips() throws {
        var (sealer, decoder) = try Self.sessionPair()
        let frame = Self.sealed([Array("put k v".utf8)], &sealer)
        for index in frame.indices where index >= 3 {  // Lower length bytes would only resize.
            for bit in 0..<8 {
                var altered = frame
                altered[index] ^= UInt8(1) << UInt8(bit)
                var fresh = decoder
                do throws(PeerTransportError) {
                    let step = try Wire.frame(altered, &fresh)
                    // A changed length byte may only make the frame incomplete.
                    #expect(index == 3 && step == .needMoreBytes(consumed: 0),
                            "byte \(index) bit \(bit)")
                } catch {
                    #expect(error == .badFrameTag || error == .emptyFrame,
                            "byte \(index) bit \(bit)")
                }
            }
        }
        #expect(try Wire.frame(frame, &decoder) == .complete(Array("put k v".utf8),
                                                              consumed: frame.count))
    }

    @Test("reordered, replayed or dropped frames fail: the tag binds the sequence number")
    func sequenceBinding() throws {
        var (sealer, decoder) = try Self.sessionPair()
        let first = Self.sealed([[1]], &sealer)
        let second = Self.sealed([[2]], &sealer)
        var reordered = decoder
        #expect(throws: PeerTransportError.badFrameTag) { _ = try Wire.frame(second, &reordered) }
        #expect(try Wire.frame(first, &decoder) == .complete([1], consumed: first.count))
        #expect(throws: PeerTransportError.badFrameTag) { _ = try Wire.frame(first, &decoder) }
    }

    @Test("a frame sealed for one connection fails on another (other nonces, other Ks)")
    func otherConnection() throws {
        var (sealer, _) = try Self.sessionPair()
        let frame = Self.sealed([Array("hello".utf8)], &sealer)
        var otherNonce = Self.acceptorNonce
        otherNonce[0] = 0x23
        var decoder = PeerFrameDecoder(
            frameBytesMax: 1024,
            authenticator: PeerAuthentication.session(
                try Self.secret(), dialerNonce: Self.dialerNonce, acceptorNonce: otherNonce))
        #expect(throws: PeerTransportError.badFrameTag) { _ = try Wire.frame(frame, &decoder) }
    }

    @Test("a peer secret holds 16 to 4096 bytes: 15 and 4097 are refused, 16, 17, 4095, 4096 not")
    func secretSizeLimits() throws {
        #expect(PeerSecret.byteCountMin == 16 && PeerSecret.byteCountMax == 4096)
        for size in [16, 17, 4095, 4096] {
            #expect(try PeerSecret(bytes: [UInt8](repeating: 7, count: size)).byteCount == size)
        }
        for size in [0, 15, 4097] {
            #expect(throws: PeerTransportError.secretSize(bytes: size)) {
                _ = try PeerSecret(bytes: [UInt8](repeating: 7, count: size))
            }
        }
    }

    @Test("a peer secret never prints its bytes (description, debug description, mirror)")
    func secretRedacted() throws {
        let secret = try PeerSecret(bytes: Array("sixteen-byte-key-XYZ".utf8))
        for text in ["\(secret)", String(reflecting: secret), String(describing: secret)] {
            #expect(!text.contains("sixteen") && !text.contains("XYZ"))
        }
        #expect(Mirror(reflecting: secret).children.isEmpty)
    }
}
