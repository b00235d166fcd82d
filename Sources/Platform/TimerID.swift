/// Names a timer scheduled on one `EventLoop`, for `cancel`. Ids are never reused
/// within a loop, so cancelling a timer that already fired is a harmless no-op.
public struct TimerID: Sendable, Hashable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }
}
