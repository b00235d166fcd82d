/// Bounds on everything an HTTP/1.1 parser buffers. Each limit has a status code that the
/// request parser reports when it is exceeded (the response parser reuses the same limits).
public struct HTTPLimits: Sendable, Equatable {
    /// The request line (or a response's status line) without its line ending. RFC 9112 §3
    /// recommends supporting at least 8000 octets; longer gets 414 URI Too Long.
    public var requestLineBytesMax = 8 * 1024

    /// The whole header section: the bytes of every field line (without line endings), trailer
    /// lines included. Bounds the memory one connection can pin; over it gets 431
    /// (RFC 6585 §5).
    public var headerBytesMax = 32 * 1024

    /// The number of field lines, trailers included; over it gets 431 (RFC 6585 §5). Bounds the
    /// per-request work of header lookups, which are linear scans.
    public var headerCountMax = 100

    /// The request body. etcd rejects requests over 1.5 MiB (`--max-request-bytes`); the
    /// gateway adds JSON and base64 overhead on top, hence the 512 KiB allowance. Over it gets
    /// 413, detected from Content-Length before any body byte is read, and while accumulating a
    /// chunked body.
    public var bodyBytesMax = 1_572_864 + 512 * 1024

    /// One chunk-size line with its chunk extensions (RFC 9112 §7.1.1). Extensions are ignored,
    /// but an unbounded line would let a peer pin memory; over it gets 400.
    public var chunkLineBytesMax = 4 * 1024

    /// The response parser emits a chunk's data as one `.bodyChunk` once the whole chunk has
    /// arrived; a chunk bigger than this is emitted in pieces of at most this size so that the
    /// parser never buffers more than this much body.
    public var responseChunkPieceBytesMax = 256 * 1024

    public init() {}
}
