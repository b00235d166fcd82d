/// Keeps the first `limit` bytes of a command's output and counts the rest: the head of
/// `nginx -t` or `haproxy -c` output is where the error is.
struct OutputCollector {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var droppedBytes = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ data: ArraySlice<UInt8>) {
        let room = max(0, limit - bytes.count)
        bytes.append(contentsOf: data.prefix(room))
        droppedBytes += max(0, data.count - room)
    }
}
