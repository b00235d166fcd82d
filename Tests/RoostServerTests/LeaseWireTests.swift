import DiscoveryHTTP
import Testing

@testable import RoostServer

@Suite("Lease questions forwarded between members")
struct LeaseWireTests {
    @Test("every request and answer survives encoding and decoding")
    func roundTrip() {
        let messages: [LeaseWire] = [
            .request(number: 1, query: .renew(42)),
            .request(number: .max, query: .timeToLive(.max)),
            .answer(number: 7, outcome: .status(LeaseStatus(remainingSeconds: 3, grantedSeconds: 9))),
            .answer(number: 8, outcome: .unknown),
            .answer(number: 9, outcome: .notLeader),
        ]
        for message in messages {
            #expect(LeaseWire.decode(message.encode()) == message)
        }
    }

    @Test("unknown tags and wrong lengths decode to nil, never crash")
    func garbage() {
        let valid = LeaseWire.request(number: 1, query: .renew(2)).encode()
        #expect(LeaseWire.decode([]) == nil)
        #expect(LeaseWire.decode([0x63] + valid.dropFirst()) == nil)
        #expect(LeaseWire.decode(Array(valid.dropLast())) == nil)
        #expect(LeaseWire.decode(valid + [0]) == nil)
        for length in 0..<40 {
            _ = LeaseWire.decode([UInt8](repeating: 3, count: length))
        }
    }
}
