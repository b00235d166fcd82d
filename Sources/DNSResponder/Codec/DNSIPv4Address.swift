/// An IPv4 address as its 32 bits (the first octet in the high byte).
public struct DNSIPv4Address: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt32

    public init(value: UInt32) {
        self.value = value
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// The four octets in network order.
    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
         UInt8(value & 0xFF)]
    }

    public var description: String {
        bytes.map { String($0) }.joined(separator: ".")
    }
}
