import KVStore
import Platform

/// What a Consul KV entry has besides its value: flags, the lock holder and the lock
/// count. The value lives at its own key in the ordinary key space (so etcd clients and
/// confd see Consul's KV); these fields live beside it under `_roost/kvmeta/<key>`, and
/// only while one of them is non-zero. Every change to them rewrites the value key in the
/// same transaction, so the value key's mod_revision is Consul's ModifyIndex and one
/// watch on the value range sees every change.
struct ConsulKVMetadata: Sendable, Equatable {
    var flags: UInt64 = 0
    var lockIndex: UInt64 = 0
    var session: String = ""

    static let prefix: [UInt8] = ReservedKeys.prefix + Array("kvmeta/".utf8)
    /// Marks which keys a session holds: `_roost/locks/<session>/<key>`, so invalidating a
    /// session finds its locks with one range read.
    static let locksPrefix: [UInt8] = ReservedKeys.prefix + Array("locks/".utf8)

    var isDefault: Bool { flags == 0 && lockIndex == 0 && session.isEmpty }

    static func key(for key: [UInt8]) -> [UInt8] { prefix + key }

    static func lockKey(session: String, key: [UInt8]) -> [UInt8] {
        locksPrefix + Array(session.utf8) + [UInt8(ascii: "/")] + key
    }

    func encode() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Flags")
        writer.number(flags)
        writer.key("LockIndex")
        writer.number(lockIndex)
        writer.key("Session")
        writer.string(session)
        writer.endObject()
        return writer.bytes
    }

    /// Unreadable metadata (never written by Roost) reads as the defaults.
    static func decode(_ bytes: [UInt8]) -> ConsulKVMetadata {
        guard case .object(let object)? = try? JSONParser.parse(bytes) else {
            return ConsulKVMetadata()
        }
        var metadata = ConsulKVMetadata()
        metadata.flags = object["Flags"]?.uint64Value ?? 0
        metadata.lockIndex = object["LockIndex"]?.uint64Value ?? 0
        metadata.session = object["Session"]?.stringValue ?? ""
        return metadata
    }
}
