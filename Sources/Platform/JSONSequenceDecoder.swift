/// A push-style decoder for JSON values written back to back, with any whitespace between
/// them: the request body of grpc-gateway's streaming routes (`{"ID":"1"}{"ID":"2"}` to
/// etcd's lease keep-alive, watch requests to `/v3/watch`), read while the client is still
/// writing it.
///
/// Finding where a value ends takes one pass over its bytes (string, escape and nesting
/// state are kept between calls); the value is parsed once, when it is whole. So a client
/// trickling a value a byte at a time costs linear work, not a re-parse per byte.
public struct JSONSequenceDecoder: Sendable {
    /// One value's bytes. Past this the stream is refused: the decoder holds a value's
    /// bytes until its end arrives, so this bounds its memory per stream.
    public let valueBytesMax: Int
    public let limits: JSONLimits
    /// The bytes of the value being read.
    private var pending: [UInt8] = []
    /// The stream offset of `pending`'s first byte, for error positions.
    private var valueStartOffset = 0
    /// Bytes taken from the stream so far.
    private var streamOffset = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// A bare number or literal at the top level: it ends at the first delimiter.
    private var inScalar = false
    /// A value's first byte has been taken and its end not yet.
    private var inValue = false

    public init(valueBytesMax: Int, limits: JSONLimits = JSONLimits()) {
        precondition(valueBytesMax > 0, "a value needs at least one byte")
        self.valueBytesMax = valueBytesMax
        self.limits = limits
    }

    /// True when no byte of a next value has been taken: the stream may end here.
    public var isBetweenValues: Bool { !inValue }

    /// Takes bytes up to the end of the next value and returns it, or takes them all and
    /// asks for more. Whitespace between values is skipped.
    public mutating func decode(
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONError) -> ParseStep<JSONValue> {
        // Where this input's part of the value starts: whitespace before it is not kept.
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if !inValue {
                if Self.isWhitespace(byte) {
                    index += 1
                    continue
                }
                inValue = true
                start = index
                valueStartOffset = streamOffset + index
            } else if inScalar && Self.endsScalar(byte) {
                return try complete(bytes, from: start, consumed: index)
            }
            let ended = try scan(byte, at: streamOffset + index)
            index += 1
            if ended { return try complete(bytes, from: start, consumed: index) }
        }
        if inValue { try append(bytes, from: start, to: index) }
        streamOffset += index
        return .needMoreBytes(consumed: index)
    }

    /// The stream ended: a bare top-level number or literal still pending is complete now;
    /// anything else pending is a value cut short.
    public mutating func finish() throws(JSONError) -> JSONValue? {
        guard inValue else { return nil }
        guard inScalar else {
            throw JSONError(offset: streamOffset, message: "the stream ends inside a value")
        }
        return try parsePending()
    }

    /// Advances the end-finding state over one byte; true when it ends a value.
    private mutating func scan(_ byte: UInt8, at offset: Int) throws(JSONError) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                return depth == 0
            }
            return false
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard depth > 0 else {
                throw JSONError(offset: offset, message: "unexpected closing bracket")
            }
            depth -= 1
            return depth == 0
        default:
            if depth == 0 { inScalar = true }
        }
        return false
    }

    /// The value's last bytes are `bytes[start..<consumed]` (a scalar's delimiter, at
    /// `consumed`, is left for the next call).
    private mutating func complete(
        _ bytes: UnsafeRawBufferPointer, from start: Int, consumed: Int
    ) throws(JSONError) -> ParseStep<JSONValue> {
        try append(bytes, from: start, to: consumed)
        streamOffset += consumed
        return .complete(try parsePending(), consumed: consumed)
    }

    private mutating func append(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int
    ) throws(JSONError) {
        guard pending.count + (end - start) <= valueBytesMax else {
            throw JSONError(
                offset: valueStartOffset,
                message: "a value is larger than \(valueBytesMax) bytes")
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    private mutating func parsePending() throws(JSONError) -> JSONValue {
        defer {
            pending.removeAll(keepingCapacity: pending.capacity <= 4096)
            depth = 0
            inString = false
            escaped = false
            inScalar = false
            inValue = false
        }
        do {
            return try JSONParser.parse(pending, limits: limits)
        } catch {
            throw JSONError(offset: valueStartOffset + error.offset, message: error.message)
        }
    }

    /// RFC 8259 §2 insignificant whitespace.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A byte that cannot continue a bare number or literal.
    private static func endsScalar(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "}")
            || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ",")
    }
}
