import DNSResponder
import Testing

/// A corpus of broken messages (RFC 9267's anti-patterns) and the error each must give.
@Suite("DNS decoder on malformed input")
struct DNSMalformedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let error: DNSError
        var testDescription: String { name }
    }

    static func withQuestion(_ build: (inout Wire) -> Void, qd: UInt16 = 1, an: UInt16 = 0,
                             ns: UInt16 = 0, ar: UInt16 = 0) -> [UInt8] {
        var wire = Wire.header(qd: qd, an: an, ns: ns, ar: ar)
        build(&wire)
        return wire.bytes
    }

    static let label63 = [UInt8(63)] + [UInt8](repeating: 0x61, count: 63)

    static let cases: [Case] = [
        Case(name: "11 bytes", bytes: Array(repeating: 0, count: 11),
             error: .messageTooShort(byteCount: 11)),
        Case(name: "self pointer", bytes: withQuestion { $0.raw([0xC0, 12, 0, 1, 0, 1]) },
             error: .pointerNotBackward(offset: 12, target: 12)),
        Case(name: "forward pointer", bytes: withQuestion { $0.raw([0xC0, 14, 0, 0, 1, 0, 1]) },
             error: .pointerNotBackward(offset: 12, target: 14)),
        Case(name: "pointer loop A to B to A",
             bytes: withQuestion({ $0.raw([1, 0x61, 0xC0, 16, 0xC0, 12, 0, 1, 0, 1]) }),
             error: .pointerNotBackward(offset: 14, target: 16)),
        Case(name: "pointer past the end", bytes: withQuestion { $0.raw([0xFF, 0xFF]) },
             error: .pointerNotBackward(offset: 12, target: 0x3FFF)),
        Case(name: "pointer cut after its first byte", bytes: withQuestion { $0.raw([0xC0]) },
             error: .truncated(offset: 12)),
        Case(name: "label type 01", bytes: withQuestion { $0.raw([0x40, 0]) },
             error: .reservedLabelType(0x40, offset: 12)),
        Case(name: "label type 10", bytes: withQuestion { $0.raw([0x80, 0]) },
             error: .reservedLabelType(0x80, offset: 12)),
        Case(name: "label running past the end", bytes: withQuestion { $0.raw([5, 0x61, 0x62]) },
             error: .truncated(offset: 12)),
        Case(name: "name of 257 bytes",
             bytes: withQuestion {
                 $0.raw(label63 + label63 + label63 + label63 + [0, 0, 1, 0, 1])
             },
             error: .nameTooLong),
        Case(name: "question count larger than the questions",
             bytes: withQuestion({ $0.question("a.roost") }, qd: 2), error: .truncated(offset: 25)),
        Case(name: "answer count with no answer",
             bytes: withQuestion({ $0.question("a.roost") }, an: 1), error: .truncated(offset: 25)),
        Case(name: "A record cut inside its RDATA",
             bytes: withQuestion({
                 $0.question("a.roost"); $0.name(""); $0.raw([0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 0])
             }, an: 1), error: .truncated(offset: 36)),
        Case(name: "A record with RDLENGTH 5",
             bytes: withQuestion({
                 $0.question("a.roost"); $0.name("")
                 $0.raw([0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 10, 0, 0, 1, 9])
             }, an: 1), error: .rdataLengthMismatch(type: 1, offset: 36)),
        Case(name: "empty TXT RDATA",
             bytes: withQuestion({
                 $0.question("a.roost"); $0.name(""); $0.raw([0, 16, 0, 1, 0, 0, 0, 0, 0, 0])
             }, an: 1), error: .rdataLengthMismatch(type: 16, offset: 36)),
        Case(name: "TXT string longer than its RDATA",
             bytes: withQuestion({
                 $0.question("a.roost"); $0.name("")
                 $0.raw([0, 16, 0, 1, 0, 0, 0, 0, 0, 2, 5, 0x61])
             }, an: 1), error: .rdataLengthMismatch(type: 16, offset: 36)),
        Case(name: "NS name running past RDLENGTH",
             bytes: withQuestion({
                 $0.question("a.roost"); $0.name("")
                 $0.raw([0, 2, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0x61, 0])
             }, an: 1), error: .rdataLengthMismatch(type: 2, offset: 36)),
        Case(name: "OPT in the answer section",
             bytes: withQuestion({ $0.question("a.roost"); $0.opt() }, an: 1),
             error: .optMisplaced(offset: 25)),
        Case(name: "OPT in the authority section",
             bytes: withQuestion({ $0.question("a.roost"); $0.opt() }, ns: 1),
             error: .optMisplaced(offset: 25)),
        Case(name: "two OPT records",
             bytes: withQuestion({ $0.question("a.roost"); $0.opt(); $0.opt() }, ar: 2),
             error: .multipleOPT(offset: 36)),
        Case(name: "OPT with a non-root owner",
             bytes: withQuestion({
                 $0.question("a.roost"); $0.name("x"); $0.raw([0, 41, 4, 0, 0, 0, 0, 0, 0, 0])
             }, ar: 1), error: .optMisplaced(offset: 25)),
        Case(name: "OPT option longer than the RDATA",
             bytes: withQuestion(
                 { $0.question("a.roost"); $0.opt(rdata: [0, 10, 0, 9, 1]) }, ar: 1),
             error: .rdataLengthMismatch(type: 41, offset: 40)),
        Case(name: "bytes after the last record",
             bytes: withQuestion { $0.question("a.roost"); $0.raw([0]) },
             error: .trailingBytes(count: 1)),
    ]

    @Test("each malformed message is rejected with its own error, never a trap", arguments: cases)
    func rejects(testCase: Case) {
        #expect(throws: testCase.error) { try DNSMessage(decoding: testCase.bytes) }
    }

    @Test("every malformed message gets FORMERR from the answerer, or nothing without a header",
          arguments: cases)
    func answererFormErr(testCase: Case) throws {
        let action = respond(testCase.bytes)
        if testCase.bytes.count < 12 {
            #expect(action == .drop)
        } else {
            let reply = try #require(action.decoded())
            #expect(reply.responseCode == .formatError)
            #expect(reply.header.id == 0x1234 && reply.header.isResponse)
        }
    }

    /// An answer whose owner is a chain of `hops` backward pointers, built inside the
    /// RDATA of an unknown-type record that precedes it.
    static func pointerChain(hops: Int) -> [UInt8] {
        var wire = Wire.header(qd: 0, an: 2)
        wire.name("")
        wire.raw([0xFF, 0x00, 0, 1, 0, 0, 0, 0])
        let chainPointers = hops - 1
        wire.u16(UInt16(1 + 2 * chainPointers))
        let base = wire.bytes.count
        wire.u8(0)  // the chain ends at a root label
        for index in 0..<chainPointers {
            wire.u16(0xC000 | UInt16(index == 0 ? base : base + 1 + 2 * (index - 1)))
        }
        wire.u16(0xC000 | UInt16(chainPointers == 0 ? base : base + 1 + 2 * (chainPointers - 1)))
        wire.raw([0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4])
        return wire.bytes
    }

    @Test("a name may take 127 pointer hops; the 128th is rejected (pointer hop limit)")
    func pointerHopLimit() throws {
        let atLimit = try DNSMessage(decoding: Self.pointerChain(hops: DNSLimits.pointerHopsMax))
        #expect(atLimit.answers.count == 2 && atLimit.answers[1].name.isRoot)
        // The 128th hop is the chain's first pointer: header, root owner, fixed fields, root.
        #expect(throws: DNSError.tooManyPointers(offset: 12 + 1 + 10 + 1)) {
            try DNSMessage(decoding: Self.pointerChain(hops: DNSLimits.pointerHopsMax + 1))
        }
    }
}
