/// `base64.StdEncoding` (RFC 4648 §4, padded): encoding, and decoding with Go's error text
/// (`illegal base64 data at input byte N`); `\r` and `\n` are skipped as Go does.
enum GoBase64 {
    private static let alphabet = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : 61)
            output.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : 61)
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    static func decode(_ text: String) throws(TemplateFunctionError) -> [UInt8] {
        // Keep each significant character with its offset in the input, for error positions.
        let input = Array(text.utf8).enumerated().filter {
            $0.element != 0x0a && $0.element != 0x0d
        }
        func failure(_ position: Int) -> TemplateFunctionError {
            TemplateFunctionError("illegal base64 data at input byte \(position)")
        }
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            var quantum: [UInt8] = []
            var padding = 0
            let quantumStart = input[index].offset
            while quantum.count + padding < 4 {
                guard index < input.count else { throw failure(quantumStart) }
                let (offset, byte) = input[index]
                index += 1
                if byte == UInt8(ascii: "=") {
                    guard quantum.count >= 2 else { throw failure(offset) }
                    padding += 1
                    continue
                }
                guard padding == 0, let sextet = value(byte) else { throw failure(offset) }
                quantum.append(sextet)
            }
            if padding > 0 && index < input.count { throw failure(input[index].offset) }
            output.append(quantum[0] << 2 | quantum[1] >> 4)
            if quantum.count > 2 { output.append(quantum[1] << 4 | quantum[2] >> 2) }
            if quantum.count > 3 { output.append(quantum[2] << 6 | quantum[3]) }
        }
        return output
    }
}
