import Platform

/// The request side of one of etcd's bidi streams behind grpc-gateway (lease keep-alive,
/// watch): JSON objects read from the request body as the client writes them, handed over
/// one at a time. Loop thread only.
///
/// The consumer says after each request whether it can take another; when it cannot, the
/// rest waits here and the body is paused (the connection then stops reading the socket)
/// until `resume`.
///
/// The body's callbacks hold this reader and its callbacks hold the consumer until reading
/// is over (ended, failed or stopped); then the callbacks are dropped, so the consumer lives
/// on only as long as its response stream needs it.
final class EtcdStreamRequests {
    private let body: HTTPRequestBody?
    private var decoder: JSONSequenceDecoder
    /// Body bytes received but not yet decoded.
    private var unread: ArraySlice<UInt8> = []
    private var waiting = false
    /// No more requests will come: the body ended or could not be decoded.
    private(set) var isDone = false
    /// One request; returns whether another can be taken now.
    var onRequest: (ProtoObject) -> Bool = { _ in true }
    /// The body ended after its last request.
    var onEnd: () -> Void = {}
    /// The body could not be decoded; nothing more will be read.
    var onError: (EtcdError) -> Void = { _ in }

    init(_ responder: HTTPResponder, requestBytesMax: Int) {
        body = responder.requestBody
        decoder = JSONSequenceDecoder(valueBytesMax: requestBytesMax)
    }

    /// Starts reading: the body as it arrives, or the whole body the request carried.
    func start(wholeBody: [UInt8]) {
        guard let body else {
            received(wholeBody[...])
            ended()
            return
        }
        body.onData = { self.received($0) }
        body.onEnd = { self.ended() }
        // The client went away mid-body: drop the consumer (nothing will answer it).
        body.onAbort = { self.stop() }
    }

    /// The consumer can take requests again.
    func resume() {
        guard waiting, !isDone else { return }
        waiting = false
        decodeUnread()
        if !waiting { body?.resume() }
        if !waiting, body?.hasEnded ?? true, unread.isEmpty { ended() }
    }

    /// Stops reading for good (the response ended or gave up).
    func stop() {
        isDone = true
        unread = []
        body?.pause()
        onRequest = { _ in false }
        onEnd = {}
        onError = { _ in }
    }

    private func received(_ piece: ArraySlice<UInt8>) {
        guard !isDone else { return }
        unread.append(contentsOf: piece)
        decodeUnread()
    }

    private func decodeUnread() {
        while !isDone, !waiting, !unread.isEmpty {
            let step: ParseStep<JSONValue>
            do {
                step = try unread.withBytes { (bytes) throws(JSONError) in
                    try decoder.decode(bytes)
                }
            } catch {
                return fail(
                    .badRequest("invalid JSON at byte \(error.offset): \(error.message)"))
            }
            unread = unread.dropFirst(step.consumed)
            guard case .complete(let value, _) = step else { continue }
            deliver(value)
        }
        if unread.isEmpty { unread = [] }
    }

    private func deliver(_ value: JSONValue) {
        let request: ProtoObject
        do {
            request = try ProtoObject.from(value, field: "request")
        } catch {
            return fail(error)
        }
        if !onRequest(request), !isDone {
            waiting = true
            body?.pause()
        }
    }

    private func ended() {
        guard !isDone else { return }
        decodeUnread()
        // Requests still waiting for the consumer come first; `resume` ends it then.
        guard !isDone, !waiting else { return }
        do {
            if let last = try decoder.finish() { deliver(last) }
        } catch {
            return fail(.badRequest("invalid JSON at byte \(error.offset): \(error.message)"))
        }
        guard !isDone else { return }
        let callback = onEnd
        stop()
        callback()
    }

    private func fail(_ error: EtcdError) {
        let callback = onError
        stop()
        callback(error)
    }
}
