import Platform

extension EtcdClient {
    /// Keeps lease `id` alive over one open `lease/keepalive` request, as etcd's clients do
    /// with their LeaseKeepAlive stream: writes a keep-alive, reads its answer, and gives it
    /// to `onResult`, which returns how long to wait before the next one (nil: stop). A
    /// broken connection moves to the next endpoint and starts over (a keep-alive is safe
    /// to repeat).
    public func keepAlive(
        _ id: Int64, onResult: (JSONObject) -> UInt64?
    ) throws(ClientError) {
        var failure: ClientError?
        let request = Array(#"{"ID":"\#(id)"}"#.utf8)
        try withEndpoint(idempotent: true) { client throws(HTTPClient.Failure) in
            let exchange = try HTTPDuplexRequest(
                client: client, .post, "/v3/lease/keepalive", headers: EtcdClient.jsonHeaders)
            var reader = KeepAliveReader()
            while failure == nil {
                try exchange.write(request)
                try exchange.read { reader.take($0) }
                guard let result = reader.result else {
                    failure = reader.failure ?? .protocolError("the keep-alive stream ended")
                    break
                }
                reader.result = nil
                guard let wait = onResult(result) else {
                    try exchange.finish()
                    try exchange.read { _ in true }
                    break
                }
                Sleep.nanoseconds(wait)
            }
        }
        if let failure { throw failure }
    }
}

/// Collects one answer at a time from a keep-alive stream's response.
private struct KeepAliveReader {
    var stream = EtcdStreamReader()
    var result: JSONObject?
    var failure: ClientError?

    /// False once an answer, an error or the end arrived: the exchange pauses there.
    mutating func take(_ event: HTTPResponseEvent) -> Bool {
        var result: JSONObject?
        var failure: ClientError?
        let more = stream.take(event) { line in
            switch line {
            case .result(let object): result = object
            case .failure(let error): failure = error
            case .skip: return true
            }
            return false
        }
        if let result { self.result = result }
        if let failure { self.failure = failure }
        return more
    }
}
