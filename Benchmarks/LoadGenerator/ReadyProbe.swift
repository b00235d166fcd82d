import Platform

/// `ready`: how long until a (re)starting server answers `/health` with 200 and then a
/// serializable read of the last filled key returns it. Polls every millisecond.
enum ReadyProbe {
    static let pollNanoseconds: UInt64 = 1_000_000

    struct Result {
        var healthMilliseconds: Double
        var readMilliseconds: Double
    }

    static func run(_ options: BenchOptions) throws(BenchError) -> Result {
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        let deadline = start + UInt64(options.timeLimitSeconds * 1e9)
        try poll(options.endpoint, clock, deadline, "/health") { response in
            response.status == 200
        }
        let health = clock.nowNanoseconds()
        let keys = KeyFormat(keys: options.keys)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("key")
        writer.base64(keys.key(options.keys - 1))
        writer.key("serializable")
        writer.bool(true)
        writer.endObject()
        let body = writer.bytes
        try poll(options.endpoint, clock, deadline, "/v3/kv/range", body: body) { response in
            response.status == 200
                && RequestTemplate.find(LoadClient.kvsLabel, in: response.body) != nil
        }
        let read = clock.nowNanoseconds()
        return Result(
            healthMilliseconds: Double(health - start) / 1e6,
            readMilliseconds: Double(read - start) / 1e6)
    }

    private static func poll(
        _ address: SocketAddress, _ clock: MonotonicClock, _ deadline: UInt64,
        _ target: String, body: [UInt8]? = nil,
        _ isReady: (HTTPClient.Response) -> Bool
    ) throws(BenchError) {
        let client = HTTPClient(address: address, timeoutMilliseconds: 1_000)
        defer { client.close() }
        while clock.nowNanoseconds() < deadline {
            let response = try? client.send(body == nil ? .get : .post, target, body: body ?? [])
            if let response, isReady(response) { return }
            if response == nil { client.close() }
            Sleep.nanoseconds(pollNanoseconds)
        }
        throw .timedOut("\(target) not ready within the time limit")
    }
}
