/// Bounds for the JSON parser. The input itself is already bounded by the HTTP body limit; these
/// bound the work and memory per value inside it.
public struct JSONLimits: Sendable, Equatable {
    /// Nesting of arrays and objects. The parser recurses once per level, so this bounds its
    /// stack use; etcd and Consul request bodies nest fewer than 10 levels (a txn request with
    /// compare and request_put is 4).
    public var depthMax = 64

    /// One decoded string, in UTF-8 bytes. Large enough for the base64 of etcd's 1.5 MiB value
    /// limit (about 2 MiB) with room to spare.
    public var stringBytesMax = 4 * 1024 * 1024

    /// One number literal. int64 and double need at most a few dozen characters; a megabyte of
    /// digits is an attack on whoever converts the literal, not a number.
    public var numberBytesMax = 1024

    public init() {}
}
