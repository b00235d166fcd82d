/// A record class (RFC 1035 §3.2.4). Only IN is served; ANY is accepted in questions.
public struct DNSRecordClass: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let internet = DNSRecordClass(rawValue: 1)
    public static let chaos = DNSRecordClass(rawValue: 3)
    public static let any = DNSRecordClass(rawValue: 255)
}
