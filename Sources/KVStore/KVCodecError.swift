/// Why bytes could not be decoded into a command or a snapshot. Decoders check every length
/// and count against the bytes that remain, so garbage fails here instead of crashing.
public enum KVCodecError: Error, Equatable, Sendable {
    /// The input ended inside a field.
    case truncated
    /// The snapshot does not start with the expected magic bytes.
    case badMagic
    /// The format version byte is not one this build understands.
    case unsupportedVersion(UInt8)
    /// A tag, enum value or flag byte has no meaning.
    case invalidTag(UInt8)
    /// A varint is longer than 10 bytes or overflows 64 bits.
    case invalidVarint
    /// Bytes were left over after a complete value.
    case trailingBytes
    /// Txns nest deeper than `KVLimits.txnNestingDepthMax`.
    case nestingTooDeep
    /// The snapshot's CRC32C does not match its contents.
    case checksumMismatch
    /// The bytes decode but break an invariant of the store (e.g. keys out of order).
    case inconsistent(String)
}
