import KVStore
import Platform

/// One `POST /v3/lease/keepalive` (etcd's `LeaseKeepAlive`, a bidi stream behind
/// grpc-gateway). Each `{"ID":…}` object of the request body is answered, in order, by one
/// `{"result":{header, ID, TTL}}` line in its own chunk as soon as the leader renewed the
/// lease, while the client keeps writing: it can hold one request open and send a
/// keep-alive every few seconds. The response ends once the body has and every request
/// is answered (etcd's server loop returns on EOF). Loop thread only.
///
/// As in grpc-gateway's handler, the first request is decoded before the response starts,
/// so a bad one is a 400 with etcd's error body; a bad later one ends the stream after the
/// answers before it (the gateway stops sending and closes its side). An empty body is an
/// empty stream.
final class EtcdKeepAliveStream: @unchecked Sendable {
    /// One request object. `{"ID":"-9223372036854775808"}` is 30 bytes; the rest is room
    /// for whitespace and fields that are ignored.
    static let requestBytesMax = 64 * 1024
    /// Requests read but not yet answered. At this many the body is paused until answers
    /// catch up, so a client writing faster than leases are renewed meets TCP flow
    /// control instead of a queue without bound.
    static let queuedRequestsMax = 1_000

    private let responder: HTTPResponder
    private let keySpace: any KeySpace
    private let requests: EtcdStreamRequests
    private var queue: [Int64] = []
    private var queueHead = 0
    private var stream: HTTPStream?
    private var renewing = false
    /// No more requests will come: the body ended or a later request was bad.
    private var inputDone = false

    private init(responder: HTTPResponder, keySpace: any KeySpace) {
        self.responder = responder
        self.keySpace = keySpace
        requests = EtcdStreamRequests(responder, requestBytesMax: Self.requestBytesMax)
    }

    /// Reads the body as it arrives (or, when it came whole, all of it now).
    static func open(_ request: HTTPRequest, _ responder: HTTPResponder, keySpace: any KeySpace) {
        let keepAlive = EtcdKeepAliveStream(responder: responder, keySpace: keySpace)
        keepAlive.requests.onRequest = { keepAlive.received($0) }
        keepAlive.requests.onEnd = { keepAlive.inputEnded() }
        keepAlive.requests.onError = { keepAlive.requestFailed($0) }
        keepAlive.requests.start(wholeBody: request.body)
    }

    private var queuedCount: Int { queue.count - queueHead }

    /// Queues the request's lease; true while the queue has room for another.
    private func received(_ request: ProtoObject) -> Bool {
        do {
            queue.append(try request.int64("ID"))
        } catch {
            requests.stop()
            requestFailed(error)
            return false
        }
        startIfReady()
        renewNext()
        return queuedCount < Self.queuedRequestsMax
    }

    private func inputEnded() {
        inputDone = true
        startIfReady()
        finishIfDone()
    }

    private func requestFailed(_ error: EtcdError) {
        inputDone = true
        guard stream != nil || queuedCount > 0 else {
            return responder.respondJSON(error.httpStatus, error.unaryBody())
        }
        startIfReady()
        finishIfDone()
    }

    /// The response starts with the first request, or at the end of an empty body.
    private func startIfReady() {
        guard stream == nil, queuedCount > 0 || inputDone else { return }
        guard let started = responder.startStream(.ok, headers: EtcdWatchStream.jsonHeaders())
        else {
            inputDone = true
            requests.stop()
            return
        }
        stream = started
        started.onDrained = { self.renewNext() }
        started.onClose = { self.requests.stop() }
    }

    /// Renews the oldest queued lease, one at a time so answers keep the request order.
    private func renewNext() {
        guard !renewing, queuedCount > 0, let stream, stream.isOpen, stream.hasRoom else {
            return
        }
        let id = queue[queueHead]
        queueHead += 1
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        renewing = true
        if queuedCount <= Self.queuedRequestsMax / 2 { requests.resume() }
        let keySpace = self.keySpace
        keySpace.queryLease(.renew(id)) { result in
            stream.execute { self.renewed(id, result) }
        }
    }

    private func renewed(_ id: Int64, _ result: Result<LeaseStatus?, ServiceError>) {
        renewing = false
        guard let stream, stream.isOpen else { return }
        switch result {
        case .failure(let error):
            stream.send(EtcdError(error).streamBody() + [0x0A])
            stream.finish()
        case .success(let status):
            stream.send(answer(id, ttlSeconds: status?.remainingSeconds ?? 0))
            renewNext()
            finishIfDone()
        }
    }

    /// `{"result":{header, ID, TTL}}` and a newline; an unknown lease has TTL 0, omitted.
    private func answer(_ id: Int64, ttlSeconds: Int64) -> [UInt8] {
        let encoder = EtcdResponseEncoder(identity: keySpace.identity)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("result")
        writer.beginObject()
        encoder.header(&writer, revision: EtcdGateway.revision(of: keySpace))
        encoder.nonZero(&writer, "ID", id)
        encoder.nonZero(&writer, "TTL", ttlSeconds)
        writer.endObject()
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    private func finishIfDone() {
        guard inputDone, !renewing, queuedCount == 0, let stream, stream.isOpen else { return }
        stream.finish()
    }
}
