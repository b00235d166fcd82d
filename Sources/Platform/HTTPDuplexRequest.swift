/// A request whose body is written in chunks while its response is read, on one
/// connection of an `HTTPClient`: the client side of a bidi stream (etcd's lease
/// keep-alive, where one open request carries a keep-alive every few seconds and each
/// gets its answer at once). Blocking, like its client; one thread at a time.
public final class HTTPDuplexRequest {
    private let client: HTTPClient
    private var parser: HTTPResponseParser
    private var sawHead = false
    public private(set) var bodyFinished = false

    /// Sends the head (`Transfer-Encoding: chunked`); the body follows through `write`.
    public init(
        client: HTTPClient, _ method: HTTPMethod, _ target: String,
        headers: HTTPHeaders = HTTPHeaders()
    ) throws(HTTPClient.Failure) {
        self.client = client
        parser = HTTPResponseParser(requestMethod: method)
        var head: [UInt8] = []
        HTTPResponseEncoder.chunkedRequestHead(
            method: method, target: target, headers: client.withHost(headers), into: &head)
        try client.write(head)
    }

    /// Writes `bytes` as one chunk of the body.
    public func write(_ bytes: [UInt8]) throws(HTTPClient.Failure) {
        precondition(!bodyFinished, "the body already ended")
        guard !bytes.isEmpty else { return }  // an empty chunk would end the body
        var chunk: [UInt8] = []
        HTTPResponseEncoder.chunk(bytes, into: &chunk)
        try client.write(chunk)
    }

    /// Ends the body with the last chunk.
    public func finish() throws(HTTPClient.Failure) {
        guard !bodyFinished else { return }
        bodyFinished = true
        var last: [UInt8] = []
        HTTPResponseEncoder.lastChunk(into: &last)
        try client.write(last)
    }

    /// Reads response events until `onEvent` returns false (the exchange stays open for
    /// more writes) or the response ends. Each read waits at most the client's timeout.
    public func read(onEvent: (HTTPResponseEvent) -> Bool) throws(HTTPClient.Failure) {
        try client.read(&parser, sawHead: &sawHead, closesWhenStopped: false, onEvent: onEvent)
    }
}
