import Testing

@testable import Raft

@Suite("Peer transport building blocks: bounded queues, backoff, stream choice")
struct PeerOutboundQueueTests {
    static func frame(payloadBytes: Int) -> [UInt8] {
        PeerFrame.encode(payload: [UInt8](repeating: 7, count: payloadBytes))
    }

    static func push(_ queue: inout PeerOutboundQueue, payloadBytes: Int) -> Bool {
        queue.push(frame(payloadBytes: payloadBytes))
    }

    @Test("a queue takes messagesMax frames and refuses the next one")
    func messageLimit() {
        var queue = PeerOutboundQueue(messagesMax: 3, bytesMax: 1000)
        for _ in 0..<3 { #expect(Self.push(&queue, payloadBytes: 1)) }
        #expect(!Self.push(&queue, payloadBytes: 1))
        #expect(queue.count == 3)
        #expect(queue.pop() != nil)
        #expect(Self.push(&queue, payloadBytes: 1))
    }

    @Test("a queue takes payloads up to bytesMax exactly and refuses one byte more")
    func byteLimit() {
        var queue = PeerOutboundQueue(messagesMax: 100, bytesMax: 10)
        #expect(Self.push(&queue, payloadBytes: 4))
        #expect(!Self.push(&queue, payloadBytes: 7))
        #expect(Self.push(&queue, payloadBytes: 6))
        #expect(queue.payloadBytes == 10)
        #expect(!Self.push(&queue, payloadBytes: 1))
    }

    @Test("frames come out in the order they went in, across compactions")
    func fifo() {
        var queue = PeerOutboundQueue(messagesMax: 1000, bytesMax: 1 << 20)
        var expected: [[UInt8]] = []
        var popped: [[UInt8]] = []
        for round in 0..<300 {
            let frame = Self.frame(payloadBytes: round % 17 + 1)
            let pushed = queue.push(frame)
            #expect(pushed)
            expected.append(frame)
            if round % 3 != 0, let frame = queue.pop() { popped.append(frame) }
        }
        while let frame = queue.pop() { popped.append(frame) }
        #expect(popped == expected)
        #expect(queue.payloadBytes == 0)
    }

    @Test("backoff delays stay within [base/2, base], double to the cap, replay from the seed")
    func backoff() {
        var first = PeerBackoff(minNanoseconds: 50, maxNanoseconds: 2000)
        var generator = Raft.SeededGenerator(seed: 42)
        var delays: [UInt64] = []
        var base: UInt64 = 50
        for _ in 0..<10 {
            let delay = first.nextDelay(using: &generator)
            #expect(delay >= base / 2 && delay <= base)
            delays.append(delay)
            base = min(base * 2, 2000)
        }
        #expect(first.baseNanoseconds == 2000)
        var replay = PeerBackoff(minNanoseconds: 50, maxNanoseconds: 2000)
        var sameSeed = Raft.SeededGenerator(seed: 42)
        #expect((0..<10).map { _ in replay.nextDelay(using: &sameSeed) } == delays)
        first.reset()
        #expect(first.baseNanoseconds == 50)
    }

    @Test("heartbeats and votes ride the control stream, appends and snapshots the bulk one")
    func streamChoice() {
        for kind in Message.Kind.allCases {
            let message = Message(kind: kind, from: 1, to: 2, term: 1)
            let expected: PeerStreamKind =
                [.append, .snapshot, .propose].contains(kind) ? .bulk : .control
            #expect(PeerStreamKind.of(message) == expected, "\(kind)")
        }
    }
}
