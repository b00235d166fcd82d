/// A key or value of the key-value model: raw bytes, as the store and its clients exchange them,
/// buildable from a string literal in tests (`.put(key: "x", value: "1")`).
public struct KVBytes: Hashable, Sendable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ string: String) {
        bytes = Array(string.utf8)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public static func < (lhs: KVBytes, rhs: KVBytes) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Quoted UTF-8 when the bytes are valid UTF-8 without control characters, else hex.
    public var description: String {
        if let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        {
            return "\"\(text)\""
        }
        let digits = Array("0123456789abcdef")
        let hex = bytes.map { "\(digits[Int($0 >> 4)])\(digits[Int($0 & 0x0F)])" }
        return "0x" + hex.joined()
    }
}
