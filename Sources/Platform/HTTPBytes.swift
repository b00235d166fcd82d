/// Byte-level helpers shared by the HTTP/1.1 parsers and encoders. All ASCII: field names,
/// methods and framing are ASCII by definition (RFC 9110 §5.1, RFC 9112 §2.2).
enum HTTPBytes {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
    static let colon: UInt8 = 0x3A

    /// `tchar` of RFC 9110 §5.6.2: the characters a token (method, field name) may hold.
    private static let tokenTable: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(byte))
        }
    }

    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    static func isToken(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isToken)
    }

    /// `field-vchar` plus SP and HTAB (RFC 9110 §5.5): everything but CTLs; obs-text allowed.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == tab
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// The bytes of a literal. Literal storage lives as long as the program, so the pointer
    /// never dangles.
    static func bytes(of literal: StaticString) -> UnsafeRawBufferPointer {
        precondition(literal.hasPointerRepresentation, "a text literal, not a single scalar")
        return UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Exact comparison with an ASCII literal.
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let text = HTTPBytes.bytes(of: literal)
        return bytes.elementsEqual(text)
    }

    /// ASCII case-insensitive comparison, as field names and codings compare (RFC 9110 §5.1).
    static func equalsIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(
        _ lhs: A, _ rhs: B
    ) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { lowercased($0) == lowercased($1) }
    }

    static func equalsIgnoringCase(
        _ bytes: UnsafeRawBufferPointer, _ literal: StaticString
    )
        -> Bool
    {
        let text = HTTPBytes.bytes(of: literal)
        return equalsIgnoringCase(bytes, text)
    }

    /// The range of `bytes` without leading and trailing SP/HTAB (OWS, RFC 9110 §5.6.3).
    static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Calls `body` with each element of a comma-separated list (RFC 9110 §5.6.1), trimmed of
    /// OWS; empty elements are skipped as the rule allows.
    static func forEachListElement(
        _ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x2C {
            let element = trimmed(bytes, start..<index)
            if !element.isEmpty {
                body(UnsafeRawBufferPointer(rebasing: bytes[element]))
            }
            start = index + 1
        }
    }

    /// `Array.withUnsafeBytes` rethrows untyped errors; this keeps the error type.
    static func withBytes<Result, Failure: Error>(
        _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome = array.withUnsafeBytes { bytes in
            Swift.Result { () throws(Failure) -> Result in try body(bytes) }
        }
        return try outcome.get()
    }

    static func append(_ literal: StaticString, to output: inout [UInt8]) {
        output.append(
            contentsOf: HTTPBytes.bytes(of: literal))
    }

    static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        precondition(value >= 0, "only non-negative decimals are written")
        // Small integers are stored inline in the String: no allocation.
        output.append(contentsOf: String(value).utf8)
    }

    static func appendHex(_ value: Int, to output: inout [UInt8]) {
        precondition(value >= 0, "only non-negative sizes are written")
        let digits: StaticString = "0123456789abcdef"
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4
        if shift == 0 { shift = 4 }
        while shift > 0 {
            shift -= 4
            output.append(digits.utf8Start[(value >> shift) & 0xF])
        }
    }
}
