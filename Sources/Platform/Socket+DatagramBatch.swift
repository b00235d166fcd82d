import CGlibcShims

#if canImport(Glibc)
    import Glibc
#endif

/// UDP in batches: one recvmmsg(2) for up to `batch.capacity` datagrams, one sendmmsg(2)
/// for their replies.
extension Socket {
    /// Receives the datagrams waiting, up to `batch.capacity`; `.done(n)` with n ≥ 1, or
    /// `.wouldBlock` when none is waiting. Replies queued on `batch` must have been sent.
    public func receive(into batch: DatagramBatch) throws(Errno) -> IOOutcome<Int> {
        let fd = openDescriptor
        batch.prepareToReceive()
        let headers = batch.receiveHeaders.baseAddress
        let capacity = UInt32(batch.capacity)
        let outcome = try Syscall.nonBlocking { roost_recvmmsg(fd, headers, capacity, 0) }
        guard case .done(let received) = outcome else { return .wouldBlock }
        batch.count = Int(received)
        return .done(Int(received))
    }

    /// Sends the replies queued on `batch` and empties its queue; returns how many the
    /// kernel took. UDP is best effort (RFC 1035 §4.2.1: the client retries): a reply the
    /// kernel refuses (an unreachable address) is skipped, and when the send buffer is
    /// full the rest are dropped rather than waited for.
    @discardableResult
    public func sendReplies(of batch: DatagramBatch) -> Int {
        defer { batch.queuedCount = 0 }
        let fd = openDescriptor
        var start = 0
        var sent = 0
        while start < batch.queuedCount {
            let headers = batch.sendHeaders.baseAddress.map { $0 + start }
            let remaining = UInt32(batch.queuedCount - start)
            let result = roost_sendmmsg(fd, headers, remaining, Int32(MSG_NOSIGNAL))
            if result > 0 {
                start += Int(result)
                sent += Int(result)
                continue
            }
            if result == 0 { break }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { break }
            precondition(error != EBADF && error != EFAULT, "sendmmsg misused: errno \(error)")
            start += 1  // this reply failed (sendmmsg reports the first failure alone)
        }
        return sent
    }
}
