import DNSResponder
import Platform
import Testing

@Suite("DNS TCP framing")
struct DNSTCPFrameDecoderTests {
    /// Feeds pieces as a connection does and collects the messages.
    private func feed(_ pieces: [[UInt8]]) -> (messages: [[UInt8]], pending: Int) {
        var pending: [UInt8] = []
        var messages: [[UInt8]] = []
        for piece in pieces {
            pending += piece
            while true {
                let step = pending.withUnsafeBytes { DNSTCPFrameDecoder.decode($0) }
                #expect(step.consumed <= pending.count)
                pending.removeFirst(step.consumed)
                guard case .complete(let message, _) = step else { break }
                messages.append(message)
            }
        }
        return (messages, pending.count)
    }

    @Test("two pipelined frames decode identically at every split point (RFC 7766 §8)")
    func everySplitPoint() {
        let first = makeQuery("web.service.roost", .a, id: 1)
        let second = makeQuery("db.service.roost", .srv, id: 2)
        let stream = DNSTCPFrameDecoder.frame(first) + DNSTCPFrameDecoder.frame(second)
        for cut in 0...stream.count {
            let result = feed([Array(stream[..<cut]), Array(stream[cut...])])
            #expect(result.messages == [first, second], "split at \(cut)")
            #expect(result.pending == 0)
        }
        let byteAtATime = feed(stream.map { [$0] })
        #expect(byteAtATime.messages == [first, second])
    }

    @Test("an incomplete frame consumes nothing and waits")
    func incomplete() {
        let framed = DNSTCPFrameDecoder.frame([1, 2, 3])
        for cut in 0..<framed.count {
            let step = Array(framed[..<cut]).withUnsafeBytes { DNSTCPFrameDecoder.decode($0) }
            #expect(step == .needMoreBytes(consumed: 0))
        }
    }

    @Test("a zero-length frame yields an empty message, and the largest frame is 65537 bytes")
    func edges() {
        let empty = feed([[0, 0]])
        #expect(empty.messages == [[]])
        let largest = [UInt8](repeating: 7, count: DNSLimits.messageBytesMax)
        let framed = DNSTCPFrameDecoder.frame(largest)
        #expect(framed.count == DNSTCPFrameDecoder.frameBytesMax)
        #expect(feed([framed]).messages == [largest])
    }
}
