/// Why a base64 text was rejected (RFC 4648).
public enum Base64Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// A byte outside both the standard (§4) and the URL-safe (§5) alphabet, or a misplaced `=`.
    case invalidCharacter(offset: Int)
    /// A length that no encoding produces: one character left over after whole quanta.
    case invalidLength(Int)
    /// Padding that does not complete the last quantum to four characters (§3.2).
    case invalidPadding

    public var description: String {
        switch self {
        case .invalidCharacter(let offset): "invalid base64 character at offset \(offset)"
        case .invalidLength(let length): "invalid base64 length \(length)"
        case .invalidPadding: "invalid base64 padding"
        }
    }
}
