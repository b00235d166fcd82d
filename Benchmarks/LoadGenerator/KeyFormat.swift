/// Benchmark keys: "k" and the key number in zero-padded decimal, at least 8 bytes (etcd
/// `benchmark`'s default `--key-size`), all of one width so requests keep their length.
struct KeyFormat: Sendable {
    /// The shortest key: etcd's benchmark default key size.
    static let keyBytesMin = 8
    /// Every key starts with this byte; the watch prefix.
    static let prefix = UInt8(ascii: "k")

    let keyBytes: Int

    init(keys: Int) {
        precondition(keys > 0, "a key space has keys")
        let digits = String(keys - 1).utf8.count
        keyBytes = max(Self.keyBytesMin, digits + 1)
    }

    func key(_ number: Int) -> [UInt8] {
        precondition(number >= 0, "key numbers are not negative")
        var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: keyBytes)
        bytes[0] = Self.prefix
        var rest = number
        var index = keyBytes - 1
        while rest > 0 {
            precondition(index > 0, "key number \(number) does not fit \(keyBytes) bytes")
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        return bytes
    }
}
