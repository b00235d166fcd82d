/// A TOML v1.0 parser (toml.io/en/v1.0.0) for confd's small files: `conf.d/*.toml` template
/// resources and `confd.toml`. It takes the whole file (these files are read at once, never
/// streamed) and returns the root table or an error with a line and column.
///
/// Supported: tables, arrays of tables, dotted and quoted keys, all four string forms,
/// integers (decimal, hex, octal, binary, underscores), floats (incl. inf/nan), booleans,
/// arrays (multi-line, trailing comma, comments) and inline tables. Date-time values are
/// rejected with a clear error: confd never reads one.
public struct TOMLParser {
    /// Largest accepted document. confd files are a few hundred bytes; 1 MiB bounds the
    /// memory a mistaken `--config-file /dev/zero`-style input can take.
    public static let documentBytesMax = 1 << 20
    /// Deepest nesting of arrays and inline tables. The parser recurses once per level, so
    /// this bounds its stack use; real files nest two or three levels.
    public static let nestingDepthMax = 64

    let bytes: [UInt8]
    var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses a UTF-8 TOML document.
    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes: bytes)
        return try parser.document()
    }

    /// Parses a TOML document held in a String.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try parse(Array(text.utf8))
    }

    // MARK: Document structure

    private mutating func document() throws(TOMLError) -> TOMLTable {
        guard bytes.count <= Self.documentBytesMax else {
            throw TOMLError(
                line: 1, column: 1,
                message: "document is \(bytes.count) bytes; the limit is \(Self.documentBytesMax)")
        }
        if let bad = TOMLParser.firstInvalidUTF8(bytes) {
            throw fail("invalid UTF-8", at: bad)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var builder = TOMLTableBuilder()
        var table: [String] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try newline()
                continue
            case UInt8(ascii: "#"):
                try comment()
                continue
            case UInt8(ascii: "["):
                table = try header(&builder)
            default:
                let start = index
                let (key, value) = try keyValue(depth: 0)
                do {
                    try builder.define(key, value, in: table)
                } catch {
                    throw fail(error.message, at: start)
                }
            }
            try endOfLine()
        }
        return builder.build()
    }

    /// `[a.b]` or `[[a.b]]`; returns the path that later key/value pairs go into.
    private mutating func header(
        _ builder: inout TOMLTableBuilder
    ) throws(TOMLError)
        -> [String]
    {
        let start = index
        let isArray = peek(at: 1) == UInt8(ascii: "[")
        index += isArray ? 2 : 1
        skipWhitespace()
        let key = try key()
        skipWhitespace()
        try expect("]", "expected ']' to close the table header")
        if isArray { try expect("]", "expected ']]' to close the array-of-tables header") }
        do {
            return isArray ? try builder.appendTable(key) : try builder.openTable(key)
        } catch {
            throw fail(error.message, at: start)
        }
    }

    /// `key = value`, at the top level or inside an inline table.
    mutating func keyValue(depth: Int) throws(TOMLError) -> ([String], TOMLValue) {
        let key = try key()
        skipWhitespace()
        try expect("=", "expected '=' after the key")
        skipWhitespace()
        return (key, try value(depth: depth))
    }

    /// A dotted key: simple keys joined by '.', with optional whitespace around the dots.
    private mutating func key() throws(TOMLError) -> [String] {
        var parts = [try simpleKey()]
        while true {
            let save = index
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else {
                index = save
                return parts
            }
            index += 1
            skipWhitespace()
            parts.append(try simpleKey())
        }
    }

    private mutating func simpleKey() throws(TOMLError) -> String {
        switch peek() {
        case UInt8(ascii: "\"")?:
            if isAt("\"\"\"") { throw fail("a multi-line string cannot be a key", at: index) }
            return try basicString()
        case UInt8(ascii: "'")?:
            if isAt("'''") { throw fail("a multi-line string cannot be a key", at: index) }
            return try literalString()
        default:
            let start = index
            while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
            guard index > start else { throw fail("expected a key", at: start) }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    // MARK: Trivia

    mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
            index += 1
        }
    }

    /// Consumes "\n" or "\r\n"; a lone "\r" is an error.
    mutating func newline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(at: 1) == UInt8(ascii: "\n") else {
                throw fail("a carriage return must be followed by a newline", at: index)
            }
            index += 2
        } else {
            index += 1
        }
    }

    /// From '#' to the end of the line (the newline itself is left for the caller).
    mutating func comment() throws(TOMLError) {
        index += 1
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r") && peek(at: 1) == UInt8(ascii: "\n") { return }
            if Self.isControl(byte) {
                throw fail("control character in a comment", at: index)
            }
            index += 1
        }
    }

    /// After an expression: optional whitespace and comment, then a newline or the end.
    private mutating func endOfLine() throws(TOMLError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try comment() }
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            throw fail("expected a newline after the value, found '\(Self.show(byte))'", at: index)
        }
        try newline()
    }

    // MARK: Byte helpers

    func peek(at offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    func isAt(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { expected in
            index + expected.count <= bytes.count
                && bytes[index..<index + expected.count].elementsEqual(expected)
        }
    }

    mutating func expect(_ character: Unicode.Scalar, _ message: String) throws(TOMLError) {
        guard peek() == UInt8(ascii: character) else { throw fail(message, at: index) }
        index += 1
    }

    func fail(_ message: String, at offset: Int) -> TOMLError {
        TOMLError.at(offset, in: bytes, message)
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// Control characters TOML forbids in strings and comments (tab is allowed).
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    static func show(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x\(String(byte, radix: 16))"
    }
}
