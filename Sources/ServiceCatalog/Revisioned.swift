/// A record with the revisions of its MVCC key, which Consul calls `CreateIndex` and
/// `ModifyIndex` (create_revision and mod_revision).
public struct Revisioned<Record: Sendable & Equatable>: Sendable, Equatable {
    public var record: Record
    public var createIndex: UInt64
    public var modifyIndex: UInt64

    public init(_ record: Record, createIndex: UInt64, modifyIndex: UInt64) {
        self.record = record
        self.createIndex = createIndex
        self.modifyIndex = modifyIndex
    }
}
