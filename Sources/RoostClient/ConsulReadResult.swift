import Platform

/// A decoded Consul read together with what `--json` prints and what a blocking query
/// would pass back as `?index=`.
public struct ConsulReadResult<Value: Sendable>: Sendable {
    public var value: Value
    /// `X-Consul-Index`; 0 when the server sent none.
    public var index: UInt64
    /// The server's JSON answer as it came.
    public var raw: JSONValue
}
