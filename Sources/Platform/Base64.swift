/// Base64 (RFC 4648). Encoding uses the standard alphabet with padding (§4), which is what
/// protobuf's JSON mapping writes for `bytes`. Decoding accepts the standard and the URL-safe
/// (§5) alphabets, padded or not, because Go's protojson accepts all four; leftover bits in
/// the last character are ignored, like Go's non-strict decoder.
public enum Base64 {
    private static let alphabet: StaticString =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Decoded value of each byte; -1 for bytes outside both alphabets.
    private static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .utf8.enumerated()
        {
            table[Int(byte)] = Int8(value)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeBytes(bytes), as: UTF8.self)
    }

    public static func encodeBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        append(encoding: bytes, to: &output)
        return output
    }

    /// The encoded length of `count` bytes: four characters per started group of three.
    public static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Appends the padded standard encoding of `bytes` to `output`.
    public static func append(encoding bytes: some Collection<UInt8>, to output: inout [UInt8]) {
        let done: Void? = bytes.withContiguousStorageIfAvailable {
            append(encoding: UnsafeRawBufferPointer($0), to: &output)
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { append(encoding: $0, to: &output) }
        }
    }

    private static func append(encoding input: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + encodedCount(input.count))
        let table = alphabet.utf8Start
        var index = 0
        while index + 3 <= input.count {
            let group =
                UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                | UInt32(input[index + 2])
            output.append(table[Int(group >> 18 & 0x3F)])
            output.append(table[Int(group >> 12 & 0x3F)])
            output.append(table[Int(group >> 6 & 0x3F)])
            output.append(table[Int(group & 0x3F)])
            index += 3
        }
        let rest = input.count - index
        guard rest > 0 else { return }
        let group = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
        output.append(table[Int(group >> 18 & 0x3F)])
        output.append(table[Int(group >> 12 & 0x3F)])
        output.append(rest == 2 ? table[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
        output.append(UInt8(ascii: "="))
    }

    public static func decode(_ text: String) throws(Base64Error) -> [UInt8] {
        try decode(utf8: text.utf8)
    }

    public static func decode(utf8 bytes: some Collection<UInt8>) throws(Base64Error) -> [UInt8] {
        let outcome: Result<[UInt8], Base64Error>? = bytes.withContiguousStorageIfAvailable {
            buffer in
            Result { () throws(Base64Error) in try decode(UnsafeRawBufferPointer(buffer)) }
        }
        if let outcome { return try outcome.get() }
        return try HTTPBytes.withBytes(Array(bytes)) { buffer throws(Base64Error) in
            try decode(buffer)
        }
    }

    private static func decode(_ input: UnsafeRawBufferPointer) throws(Base64Error) -> [UInt8] {
        var dataCount = input.count
        while dataCount > 0, input.count - dataCount < 2,
            input[dataCount - 1] == UInt8(ascii: "=")
        {
            dataCount -= 1
        }
        var output: [UInt8] = []
        output.reserveCapacity(dataCount / 4 * 3 + 2)
        var group: UInt32 = 0
        for index in 0..<dataCount {
            let value = decodeTable[Int(input[index])]
            guard value >= 0 else { throw .invalidCharacter(offset: index) }
            group = group << 6 | UInt32(value)
            if index % 4 == 3 {
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                group = 0
            }
        }
        // RFC 4648 §3.2: padding, when present, completes the last quantum to 4 characters.
        if dataCount < input.count, input.count % 4 != 0 || dataCount % 4 < 2 {
            throw .invalidPadding
        }
        if dataCount % 4 == 1 { throw .invalidLength(dataCount) }
        switch dataCount % 4 {
        case 2:
            output.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: group >> 10))
            output.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            break
        }
        return output
    }
}
