/// A TOML syntax or structure error, at a 1-based line and column (columns count Unicode
/// scalars, so they match what an editor shows for UTF-8 text).
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }

    /// Locates byte `offset` of `bytes` as a line and column.
    static func at(_ offset: Int, in bytes: [UInt8], _ message: String) -> TOMLError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return TOMLError(line: line, column: column, message: message)
    }
}
