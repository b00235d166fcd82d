/// One client operation of a history: an invocation at `call` and, when known, a response at
/// `returnTime`.
///
/// Times are whatever monotonic clock the caller uses (simulator ticks, or nanoseconds of a
/// client-side monotonic clock); the checker only compares them. Intervals are closed: an
/// operation returning at time t and another called at the same t count as concurrent, which can
/// only make the checker more permissive, never report a false violation.
///
/// An operation with an unknown outcome (the client timed out or the connection broke) has
/// `returnTime == nil` and `output == nil`: it may take effect at any time after `call`, or never
/// (see `checkLinearizable`).
public struct Operation<Input, Output> {
    /// The client that issued the operation (used only in counterexamples).
    public var clientID: Int
    /// What the client asked for.
    public var input: Input
    /// When the client sent the request.
    public var call: UInt64
    /// What the client was told; nil when the outcome is unknown.
    public var output: Output?
    /// When the client received the response; nil when the outcome is unknown (+infinity).
    public var returnTime: UInt64?

    public init(
        clientID: Int, input: Input, call: UInt64, output: Output?, returnTime: UInt64?
    ) {
        self.clientID = clientID
        self.input = input
        self.call = call
        self.output = output
        self.returnTime = returnTime
    }

    /// True when the client never learnt whether the operation took effect.
    public var hasUnknownOutcome: Bool { returnTime == nil }
}

extension Operation: Sendable where Input: Sendable, Output: Sendable {}
extension Operation: Equatable where Input: Equatable, Output: Equatable {}
extension Operation: Hashable where Input: Hashable, Output: Hashable {}
