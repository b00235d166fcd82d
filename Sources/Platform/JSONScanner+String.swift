extension JSONScanner {
    /// Parses a string (RFC 8259 §7) starting at its opening quote.
    mutating func parseString() throws(JSONError) -> String {
        precondition(bytes[index] == UInt8(ascii: "\""), "called at an opening quote")
        index += 1
        let start = index
        // Fast path: no escapes, so the input bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try checkLength(index - start, at: start)
                defer { index += 1 }
                return String(
                    decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            try scanUnescaped(byte)
            try checkLength(index - start, at: start)
        }
        throw endOfInput()
    }

    /// Advances past one unescaped character, rejecting control characters (RFC 8259 §7) and
    /// ill-formed UTF-8 (§8.1).
    private mutating func scanUnescaped(_ byte: UInt8) throws(JSONError) {
        if byte < 0x20 { throw failure("control character in a string; it must be escaped") }
        if byte < 0x80 {
            index += 1
            return
        }
        switch JSONUTF8.check(bytes, at: index) {
        case .valid(let length): index += length
        case .truncated: throw endOfInput()
        case .invalid: throw failure("invalid UTF-8")
        }
    }

    private func checkLength(_ count: Int, at start: Int) throws(JSONError) {
        if count > limits.stringBytesMax {
            throw failure("string longer than \(limits.stringBytesMax) bytes", at: start)
        }
    }

    /// The slow path: copies runs of plain bytes and decoded escapes into `scratch`.
    private mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scratch.append(
                    contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try checkLength(scratch.count, at: start)
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                scratch.append(
                    contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try appendEscape()
                runStart = index
            } else {
                try scanUnescaped(byte)
            }
            try checkLength(scratch.count + index - runStart, at: start)
        }
        throw endOfInput()
    }

    /// Decodes one escape at `index` (a backslash) into `scratch` (RFC 8259 §7).
    private mutating func appendEscape() throws(JSONError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw endOfInput() }
        let decoded: UInt8
        switch bytes[index] {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            index = escapeStart
            JSONUTF8.append(try unicodeEscape(), to: &scratch)
            return
        default:
            throw failure("invalid escape", at: escapeStart)
        }
        scratch.append(decoded)
        index += 1
    }

    /// `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`, starting at the backslash. Lone
    /// surrogates are not characters and are rejected (RFC 8259 §8.2 allows either way).
    private mutating func unicodeEscape() throws(JSONError) -> UInt32 {
        let escapeStart = index
        let first = try hexQuad()
        switch first {
        case 0xDC00...0xDFFF:
            throw failure("lone low surrogate", at: escapeStart)
        case 0xD800...0xDBFF:
            let unpaired = failure(
                "high surrogate not followed by a low surrogate", at: escapeStart)
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\\") else { throw unpaired }
            guard index + 1 < bytes.count else { throw endOfInput() }
            guard bytes[index + 1] == UInt8(ascii: "u") else { throw unpaired }
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second) else { throw unpaired }
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        default:
            return first
        }
    }

    /// Reads `\uXXXX` at `index` and returns its code unit.
    private mutating func hexQuad() throws(JSONError) -> UInt32 {
        let escapeStart = index
        index += 2
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw endOfInput() }
            guard let digit = HTTPRequest.hexValue(bytes[index]) else {
                throw failure("invalid \\u escape", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
