/// A strict RFC 8259 parser: no trailing commas, comments, leading zeros, single quotes, NaN or
/// BOM; escapes and surrogate pairs checked; invalid UTF-8 and lone surrogates rejected;
/// duplicate keys kept in order. Errors carry the byte offset of the offending byte.
public enum JSONParser {
    /// Parses one whole JSON text; whitespace around the value is allowed, anything else is not.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = JSONLimits()
    )
        throws(JSONError) -> JSONValue
    {
        var scanner = JSONScanner(bytes, limits: limits, isStreaming: false)
        let value = try scanner.parseValue()
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else {
            throw JSONError(offset: scanner.index, message: "unexpected data after the value")
        }
        return value
    }

    public static func parse(
        _ bytes: [UInt8], limits: JSONLimits = JSONLimits()
    )
        throws(JSONError) -> JSONValue
    {
        try HTTPBytes.withBytes(bytes) { buffer throws(JSONError) in
            try parse(buffer, limits: limits)
        }
    }

    public static func parse(
        _ text: String, limits: JSONLimits = JSONLimits()
    )
        throws(JSONError) -> JSONValue
    {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Parses the first value of a stream of concatenated JSON values (an etcd watch request
    /// body may hold several objects back to back). Returns `.needMoreBytes` while the value is
    /// incomplete; its `consumed` then counts only leading whitespace, which the caller may
    /// drop. `.complete` consumes the value but not the whitespace after it.
    ///
    /// A top-level number is complete only once a byte that cannot continue it follows, since
    /// `12` may be the start of `123`. Each call re-parses the pending value from its start,
    /// so feed whole chunks, not single bytes, when values are large.
    public static func parsePrefix(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = JSONLimits()
    ) throws(JSONError) -> ParseStep<JSONValue> {
        var scanner = JSONScanner(bytes, limits: limits, isStreaming: true)
        scanner.skipWhitespace()
        let leadingWhitespace = scanner.index
        guard leadingWhitespace < bytes.count else {
            return .needMoreBytes(consumed: leadingWhitespace)
        }
        do {
            let value = try scanner.parseValue()
            return .complete(value, consumed: scanner.index)
        } catch {
            if scanner.reachedEnd { return .needMoreBytes(consumed: leadingWhitespace) }
            throw error
        }
    }
}
