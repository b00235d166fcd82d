import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a check's host into a socket address (edge code: getaddrinfo(3) blocks). Numeric
/// addresses and `localhost` never touch the resolver.
enum HostResolver {
    /// The address, or the failure worded like Go's dialer (`lookup <host>: no such host`).
    static func resolve(host: String, port: UInt16) -> Result<SocketAddress, CheckFailure> {
        if let numeric = try? SocketAddress(host: host, port: port) { return .success(numeric) }
        guard host.utf8.count <= SocketAddress.textBytesMax * 4, !host.utf8.contains(0) else {
            return .failure(CheckFailure("lookup \(host): invalid host name"))
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(CheckFailure("lookup \(host): no such host"))
        }
        defer { freeaddrinfo(list) }
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let named = getnameinfo(
            first.pointee.ai_addr, first.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0,
            NI_NUMERICHOST)
        let numericHost = String(
            decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
            as: UTF8.self)
        guard named == 0, let address = try? SocketAddress(host: numericHost, port: port) else {
            return .failure(CheckFailure("lookup \(host): no usable address"))
        }
        return .success(address)
    }

    /// Go's wording of a dial error: `connect: connection refused`, `i/o timeout`.
    static func dialError(_ error: Errno) -> String {
        if error == .timedOut { return "i/o timeout" }
        guard let message = strerror(error.rawValue) else { return "errno \(error.rawValue)" }
        let text = String(cString: message)
        return "connect: " + text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// A check that could not run to a result; `message` becomes the check's output.
struct CheckFailure: Error, Equatable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
