import CGlibcShims

#if canImport(Glibc)
    import Glibc
#endif

/// Memory for receiving up to `capacity` datagrams with one recvmmsg(2) and sending the
/// replies with one sendmmsg(2) (`Socket.receive(into:)`, `Socket.sendReplies(of:)`),
/// allocated once and reused: per slot a receive buffer, a reply buffer, the sender's
/// address as the kernel wrote it, and the kernel's message headers. A reply goes back to
/// the address its datagram came from without becoming a `SocketAddress`, so a batch
/// costs two system calls and no allocation.
///
/// Used by one thread at a time (a loop's UDP endpoint); a class because it owns memory.
public final class DatagramBatch {
    /// Most datagrams per batch: the kernel's UIO_MAXIOV, the most messages one
    /// recvmmsg/sendmmsg call takes.
    public static let capacityMax = 1024

    public let capacity: Int
    /// Bytes kept of each datagram received; a longer one is cut and `isCut` says so.
    public let datagramBytesMax: Int
    /// Bytes of each slot's reply buffer.
    public let replyBytesMax: Int
    /// Datagrams received by the last `Socket.receive(into:)`.
    public internal(set) var count = 0
    /// Replies queued for the next `Socket.sendReplies(of:)`.
    public internal(set) var queuedCount = 0

    private let datagrams: UnsafeMutableRawBufferPointer
    private let replies: UnsafeMutableRawBufferPointer
    private let addresses: UnsafeMutableBufferPointer<sockaddr_storage>
    private let receiveVectors: UnsafeMutableBufferPointer<iovec>
    private let sendVectors: UnsafeMutableBufferPointer<iovec>
    let receiveHeaders: UnsafeMutableBufferPointer<roost_mmsghdr>
    let sendHeaders: UnsafeMutableBufferPointer<roost_mmsghdr>

    public init(capacity: Int, datagramBytesMax: Int, replyBytesMax: Int) {
        precondition((1...Self.capacityMax).contains(capacity), "capacity must be 1...1024")
        precondition(datagramBytesMax > 0 && replyBytesMax > 0, "buffers must not be empty")
        self.capacity = capacity
        self.datagramBytesMax = datagramBytesMax
        self.replyBytesMax = replyBytesMax
        datagrams = .allocate(byteCount: capacity * datagramBytesMax, alignment: 16)
        replies = .allocate(byteCount: capacity * replyBytesMax, alignment: 16)
        addresses = .allocate(capacity: capacity)
        addresses.initialize(repeating: sockaddr_storage())
        receiveVectors = .allocate(capacity: capacity)
        sendVectors = .allocate(capacity: capacity)
        receiveHeaders = .allocate(capacity: capacity)
        sendHeaders = .allocate(capacity: capacity)
        for index in 0..<capacity {
            receiveVectors[index] = iovec(
                iov_base: datagrams.baseAddress.map { $0 + index * datagramBytesMax },
                iov_len: datagramBytesMax)
            sendVectors[index] = iovec(iov_base: nil, iov_len: 0)
            var header = roost_mmsghdr()
            header.msg_hdr.msg_name = UnsafeMutableRawPointer(
                addresses.baseAddress.map { $0 + index })
            header.msg_hdr.msg_iov = receiveVectors.baseAddress.map { $0 + index }
            header.msg_hdr.msg_iovlen = 1
            receiveHeaders[index] = header
            header.msg_hdr.msg_iov = sendVectors.baseAddress.map { $0 + index }
            sendHeaders[index] = header
        }
    }

    deinit {
        datagrams.deallocate()
        replies.deallocate()
        addresses.deallocate()
        receiveVectors.deallocate()
        sendVectors.deallocate()
        receiveHeaders.deallocate()
        sendHeaders.deallocate()
    }

    /// The bytes of datagram `index` (at most `datagramBytesMax`).
    public func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index < count, "no such datagram in the batch")
        let start = index * datagramBytesMax
        let length = Int(receiveHeaders[index].msg_len)
        return UnsafeRawBufferPointer(rebasing: datagrams[start..<start + length])
    }

    /// True if datagram `index` was longer than `datagramBytesMax` and the kernel cut it
    /// (MSG_TRUNC, recvmsg(2)).
    public func isCut(_ index: Int) -> Bool {
        precondition(index < count, "no such datagram in the batch")
        return receiveHeaders[index].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0
    }

    /// The sender of datagram `index`, for replies sent later (nil for a family Roost does
    /// not use).
    public func sender(_ index: Int) -> SocketAddress? {
        precondition(index < count, "no such datagram in the batch")
        return SocketAddress(native: addresses[index])
    }

    /// Where to write the reply to datagram `index`.
    public func replyBuffer(_ index: Int) -> UnsafeMutableRawBufferPointer {
        precondition(index < count, "no such datagram in the batch")
        let start = index * replyBytesMax
        return UnsafeMutableRawBufferPointer(rebasing: replies[start..<start + replyBytesMax])
    }

    /// Queues the first `byteCount` bytes of `replyBuffer(index)` for the sender of
    /// datagram `index`. At most one reply per datagram.
    public func queueReply(to index: Int, byteCount: Int) {
        precondition(index < count && queuedCount < count, "one reply per datagram")
        precondition(byteCount <= replyBytesMax, "reply longer than its buffer")
        let slot = queuedCount
        sendVectors[slot].iov_base = replies.baseAddress.map { $0 + index * replyBytesMax }
        sendVectors[slot].iov_len = byteCount
        sendHeaders[slot].msg_hdr.msg_name = UnsafeMutableRawPointer(
            addresses.baseAddress.map { $0 + index })
        sendHeaders[slot].msg_hdr.msg_namelen = receiveHeaders[index].msg_hdr.msg_namelen
        queuedCount += 1
    }

    /// Before a receive: every slot may take a whole address again, and the replies of
    /// the previous batch must have been sent (they point at its senders' addresses).
    func prepareToReceive() {
        precondition(queuedCount == 0, "send the queued replies before receiving again")
        for index in 0..<capacity {
            receiveHeaders[index].msg_hdr.msg_namelen = socklen_t(
                MemoryLayout<sockaddr_storage>.size)
            receiveHeaders[index].msg_hdr.msg_flags = 0
            receiveHeaders[index].msg_len = 0
        }
        count = 0
    }
}
