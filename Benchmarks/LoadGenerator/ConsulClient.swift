import Platform

/// One keep-alive connection to the Consul API with one request in flight at a time,
/// answered through a completion with the status, `X-Consul-Index` and, when asked
/// for, the body. Loop thread only.
final class ConsulClient {
    struct Answer {
        var status = 0
        /// `X-Consul-Index`, or 0 when the answer has none.
        var index: Int64 = 0
        var body: [UInt8] = []
    }

    private let address: SocketAddress
    private let loopThread: LoopThread
    private var connection: ClientConnection
    private var answer = Answer()
    private var keepsBody = false
    private var completion: ((Answer) -> Void)?
    /// Called when the connection fails or the server closes it, saying whether a request
    /// was in flight (it is never answered). `reconnect()` makes a new connection.
    var onFailure: (_ reason: String, _ lostRequest: Bool) -> Void = { _, _ in }

    init(to address: SocketAddress, on loopThread: LoopThread) throws(Errno) {
        self.address = address
        self.loopThread = loopThread
        connection = try ClientConnection(
            to: address, loop: loopThread.loop, readBuffer: loopThread.readBuffer)
        attach()
    }

    var isOpen: Bool { connection.isOpen }
    var isWaiting: Bool { completion != nil }

    /// Sends one whole request; `completion` runs when its answer has been read.
    func send(_ request: [UInt8], keepBody: Bool = false, _ completion: @escaping (Answer) -> Void)
    {
        precondition(self.completion == nil, "one request in flight per connection")
        keepsBody = keepBody
        self.completion = completion
        connection.send(request)
    }

    /// Drops the connection (and any request in flight) for a new one.
    func reconnect() throws(Errno) {
        connection.close()
        completion = nil
        connection = try ClientConnection(
            to: address, loop: loopThread.loop, readBuffer: loopThread.readBuffer)
        attach()
    }

    func close() {
        completion = nil
        connection.close()
    }

    private func attach() {
        connection.onEvent = { [unowned self] event in handle(event) }
        connection.onFailure = { [unowned self] reason in
            let lost = completion != nil
            completion = nil
            onFailure(reason, lost)
        }
    }

    private func handle(_ event: HTTPResponseEvent) {
        switch event {
        case .head(let head):
            answer = Answer(status: head.status)
            if let text = head.headers.first("X-Consul-Index"), let index = Int64(text) {
                answer.index = index
            }
        case .bodyChunk(let bytes):
            if keepsBody { answer.body.append(contentsOf: bytes) }
        case .end:
            let finished = completion
            completion = nil
            finished?(answer)
        }
    }
}
