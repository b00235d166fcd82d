/// The syntax of one field line, `field-name ":" OWS field-value OWS` (RFC 9112 §5), shared by
/// header sections, trailer sections and both parsers.
enum HTTPFieldLine {
    /// Returns the name and the OWS-trimmed value ranges of `line`, or throws 400.
    static func parse(
        _ line: UnsafeRawBufferPointer
    ) throws(HTTPParseError)
        -> (name: Range<Int>, value: Range<Int>)
    {
        precondition(!line.isEmpty, "the empty line ends the section and is not a field line")
        if HTTPBytes.isWhitespace(line[0]) {
            // RFC 9112 §5.2: obs-fold is deprecated; a server MUST reject it (or unfold it).
            // A field line starting with whitespace right after the start line is rejected too
            // (RFC 9112 §2.2).
            throw .badRequest("obsolete line folding (obs-fold) is not accepted")
        }
        guard let colon = line.firstIndex(of: HTTPBytes.colon) else {
            throw .badRequest("header field line without a colon")
        }
        if colon > 0, HTTPBytes.isWhitespace(line[colon - 1]) {
            // RFC 9112 §5.1: whitespace between the name and the colon MUST be rejected (400),
            // because intermediaries disagree on what it means.
            throw .badRequest("whitespace between a header field name and its colon")
        }
        let name = 0..<colon
        guard HTTPBytes.isToken(UnsafeRawBufferPointer(rebasing: line[name])) else {
            throw .badRequest("header field name is not a token")
        }
        let value = HTTPBytes.trimmed(line, (colon + 1)..<line.count)
        for index in value where !HTTPBytes.isFieldValueByte(line[index]) {
            // RFC 9110 §5.5: CR, LF and NUL in a value are dangerous; other CTLs are invalid.
            throw .badRequest("control character in a header field value")
        }
        return (name, value)
    }
}

/// What is left of the header section's limits; trailers draw from the same budget.
struct HTTPHeaderBudget: Sendable {
    var bytesRemaining: Int
    var countRemaining: Int

    init(_ limits: HTTPLimits) {
        bytesRemaining = limits.headerBytesMax
        countRemaining = limits.headerCountMax
    }

    /// Takes one field line of `lineBytes` bytes (the reader already enforced the byte limit).
    mutating func take(
        lineBytes: Int, tooMany: @autoclosure () -> HTTPParseError
    )
        throws(HTTPParseError)
    {
        precondition(lineBytes <= bytesRemaining, "the line reader enforces the byte budget")
        bytesRemaining -= lineBytes
        countRemaining -= 1
        if countRemaining < 0 { throw tooMany() }
    }
}
