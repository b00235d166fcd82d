#if canImport(Glibc)
import Glibc
#endif

/// Conversion to and from the kernel's `sockaddr_in` / `sockaddr_in6`.
extension SocketAddress {
    var addressFamily: Int32 {
        switch storage {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        }
    }

    /// Calls `body` with a `sockaddr` pointer and its length, for bind/connect/sendto.
    func withSocketAddress<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        switch storage {
        case .ipv4(let address, let port):
            var native = sockaddr_in()
            native.sin_family = sa_family_t(AF_INET)
            native.sin_port = port.bigEndian
            native.sin_addr = in_addr(s_addr: address)
            return withUnsafePointer(to: &native) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6(let high, let low, let scopeID, let port):
            var native = sockaddr_in6()
            native.sin6_family = sa_family_t(AF_INET6)
            native.sin6_port = port.bigEndian
            native.sin6_scope_id = scopeID
            withUnsafeMutableBytes(of: &native.sin6_addr) { raw in
                raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return withUnsafePointer(to: &native) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an address the kernel wrote (getsockname, getpeername, recvfrom);
    /// nil for families other than IPv4/IPv6 (e.g. AF_UNIX, which Roost never opens).
    init?(native: sockaddr_storage) {
        var copy = native
        let family = Int32(native.ss_family)
        let parsed: Storage? = withUnsafeBytes(of: &copy) { raw in
            if family == AF_INET {
                let ipv4 = raw.loadUnaligned(as: sockaddr_in.self)
                return .ipv4(networkOrderAddress: ipv4.sin_addr.s_addr,
                             port: UInt16(bigEndian: ipv4.sin_port))
            }
            if family == AF_INET6 {
                let ipv6 = raw.loadUnaligned(as: sockaddr_in6.self)
                let words = withUnsafeBytes(of: ipv6.sin6_addr) { addressBytes in
                    (addressBytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                     addressBytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                }
                return .ipv6(high: words.0, low: words.1, scopeID: ipv6.sin6_scope_id,
                             port: UInt16(bigEndian: ipv6.sin6_port))
            }
            return nil
        }
        guard let parsed else { return nil }
        self.init(storage: parsed)
    }
}
