import ServiceCatalog

/// Lock-delay deadlines (reference/consul.md §6.2): while `_roost/lockdelay/<key>` holds a
/// Unix time in the future, `?acquire` on `<key>` answers `false`.
///
/// Consul keeps these deadlines in the leader's memory (`state.Delay`), so a new leader
/// forgets them. Roost writes them through the log, in the same transaction that releases
/// or deletes the key, so every member enforces them after any leader change.
///
/// Clock assumption: the deadline is the wall clock (CLOCK_REALTIME) of the member that
/// invalidated the session plus the delay, and it is compared with the wall clock of the
/// member that serves the later acquire. Members' clocks are assumed to agree to well
/// under the delay (NTP keeps them within milliseconds); a skew of s seconds lengthens or
/// shortens the delay by s. Only acquires are refused by it, so a bad clock can at worst
/// keep a lock free longer or let it be taken early, never corrupt data.
enum ConsulLockDelay {
    static let prefix: [UInt8] = ReservedKeys.prefix + Array("lockdelay/".utf8)

    static func key(for key: [UInt8]) -> [UInt8] { prefix + key }

    /// The deadline to record when a session with `lockDelayNanoseconds` is invalidated at
    /// `nowUnixNanoseconds`; nil when there is no delay. Longer delays are cut to Consul's
    /// `MaxLockDelay`, as its `deleteSessionTxn` does.
    static func deadline(
        lockDelayNanoseconds: Int64, nowUnixNanoseconds: UInt64
    ) -> UInt64? {
        let delay = min(lockDelayNanoseconds, SessionDefinition.lockDelayMaxNanoseconds)
        guard delay > 0 else { return nil }
        return nowUnixNanoseconds + UInt64(delay)
    }

    /// Decimal text of the deadline in Unix nanoseconds.
    static func encode(untilUnixNanoseconds: UInt64) -> [UInt8] {
        Array(String(untilUnixNanoseconds).utf8)
    }

    /// The deadline; 0 (no delay) for anything unreadable.
    static func decode(_ bytes: [UInt8]) -> UInt64 {
        UInt64(String(decoding: bytes, as: UTF8.self)) ?? 0
    }
}
