/// A resource record (RFC 1035 §4.1.3) other than OPT.
public struct DNSRecord: Sendable, Hashable {
    public var name: DNSName
    public var recordClass: DNSRecordClass
    public var ttlSeconds: UInt32
    public var data: DNSRecordData

    public init(
        name: DNSName, recordClass: DNSRecordClass = .internet, ttlSeconds: UInt32,
        data: DNSRecordData
    ) {
        self.name = name
        self.recordClass = recordClass
        self.ttlSeconds = ttlSeconds
        self.data = data
    }

    public var type: DNSRecordType { data.type }
}
