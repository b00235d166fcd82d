import Platform
import ServiceCatalog

/// What `_roost/locks/<session>/<key>` holds while `<session>` holds the lock on `<key>`:
/// how to undo the lock when the session is invalidated. The session record usually says
/// the same, but a TTL session's record is attached to its lease and is gone by the time
/// the leader's agent releases the locks of an expired session, so each marker carries
/// the session's behavior and lock delay itself.
struct ConsulLockMarker: Sendable, Equatable {
    var behavior: SessionBehavior = .release
    var lockDelayNanoseconds: Int64 = SessionDefinition.lockDelayDefaultNanoseconds

    init(
        behavior: SessionBehavior = .release,
        lockDelayNanoseconds: Int64 = SessionDefinition.lockDelayDefaultNanoseconds
    ) {
        self.behavior = behavior
        self.lockDelayNanoseconds = lockDelayNanoseconds
    }

    init(session: CatalogSession) {
        self.init(behavior: session.behavior, lockDelayNanoseconds: session.lockDelayNanoseconds)
    }

    func encode() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Behavior")
        writer.string(behavior.rawValue)
        writer.key("LockDelay")
        writer.number(lockDelayNanoseconds)
        writer.endObject()
        return writer.bytes
    }

    /// An empty or unreadable marker reads as Consul's defaults (release, 15 s): the safe
    /// reading, since it keeps the value.
    static func decode(_ bytes: [UInt8]) -> ConsulLockMarker {
        guard case .object(let object)? = try? JSONParser.parse(bytes) else {
            return ConsulLockMarker()
        }
        var marker = ConsulLockMarker()
        if let text = object["Behavior"]?.stringValue,
            let behavior = SessionBehavior(rawValue: text)
        {
            marker.behavior = behavior
        }
        if let delay = object["LockDelay"]?.int64Value { marker.lockDelayNanoseconds = delay }
        return marker
    }

    /// The session and key of a marker key; nil for anything else. Session IDs never hold
    /// `/` (they are UUIDs), so the key is everything after the first `/`.
    static func parse(markerKey: [UInt8]) -> (sessionID: String, key: [UInt8])? {
        let prefix = ConsulKVMetadata.locksPrefix
        guard markerKey.starts(with: prefix) else { return nil }
        let rest = markerKey[prefix.count...]
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")), slash > rest.startIndex else {
            return nil
        }
        let key = Array(rest[(slash + 1)...])
        guard !key.isEmpty else { return nil }
        return (String(decoding: rest[..<slash], as: UTF8.self), key)
    }

    /// Every marker of one session: `_roost/locks/<session>/`.
    static func prefix(session: String) -> [UInt8] {
        ConsulKVMetadata.locksPrefix + Array(session.utf8) + [UInt8(ascii: "/")]
    }
}
