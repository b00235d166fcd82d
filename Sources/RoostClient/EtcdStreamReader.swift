import Platform

/// Reads the response of one of etcd's streams (watch, lease keep-alive): newline-delimited
/// `{"result":…}` objects, or an error object, or a unary error body when the status is not
/// 200. Hands each line over as it completes.
struct EtcdStreamReader {
    private var status = 200
    private var lines = NewlineSplitter()

    /// Takes one response event; `onLine` gets each complete line and returns false to
    /// stop. Returns false when reading should stop (`onLine` said so, or the end).
    mutating func take(
        _ event: HTTPResponseEvent, onLine: (EtcdClient.StreamLine) -> Bool
    ) -> Bool {
        switch event {
        case .head(let head):
            status = head.status
            return true
        case .bodyChunk(let bytes):
            for line in lines.push(bytes) where !onLine(EtcdClient.streamLine(line, status: status))
            {
                return false
            }
            return true
        case .end:
            if let tail = lines.finish() { _ = onLine(EtcdClient.streamLine(tail, status: status)) }
            return false
        }
    }
}
