/// A 12-bit response code: 4 bits in the header, 8 more in the OPT record
/// (RFC 1035 §4.1.1, RFC 6891 §6.1.3).
public struct DNSResponseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        precondition(rawValue < 4096, "a response code has 12 bits")
        self.rawValue = rawValue
    }

    public static let noError = DNSResponseCode(rawValue: 0)
    public static let formatError = DNSResponseCode(rawValue: 1)
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    public static let nameError = DNSResponseCode(rawValue: 3)
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    public static let refused = DNSResponseCode(rawValue: 5)
    /// EDNS version not supported (RFC 6891 §6.1.3); needs an OPT record to be expressed.
    public static let badVersion = DNSResponseCode(rawValue: 16)

    var low: UInt8 { UInt8(rawValue & 0xF) }
    var high: UInt8 { UInt8(rawValue >> 4) }

    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .badVersion: "BADVERS"
        default: "RCODE\(rawValue)"
        }
    }
}
