import Glibc

/// The real environment of a render, and the module's only I/O: the process environment,
/// the wall clock and local zone, the system resolver (`getaddrinfo`), a small UDP DNS
/// client for SRV records (RFC 2782; `getaddrinfo` has no SRV), and `stat`.
public struct SystemTemplateEnvironment: TemplateEnvironment {
    /// How long one DNS server gets to answer an SRV query (Go's resolver default is 5 s
    /// with 2 attempts; one shorter try per server keeps a render from stalling).
    public var dnsTimeoutMilliseconds: Int32 = 2_000
    /// Where nameservers are read from (`nameserver` lines).
    public var resolvConfPath = "/etc/resolv.conf"
    /// The DNS server port (RFC 1035 §4.2.1); settable so tests can use a loopback server.
    public var dnsPort: UInt16 = 53

    public init() {}

    public func environmentVariable(named name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    public func now() -> TemplateTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var local = tm()
        localtime_r(&seconds, &local)
        let zone = local.tm_zone.map { String(cString: $0) } ?? ""
        return TemplateTime(
            unixSeconds: Int64(spec.tv_sec), nanoseconds: Int(spec.tv_nsec),
            utcOffsetSeconds: Int(local.tm_gmtoff), zoneName: zone)
    }

    public func fileExists(atPath path: String) -> Bool {
        // confd's util.IsFileExist: only "does not exist" counts as absent.
        var status = stat()
        if stat(path, &status) == 0 { return true }
        return errno != ENOENT
    }

    public func lookupIP(host: String) -> [String]? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return nil }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var cursor = list
        while let entry = cursor {
            if let text = SystemTemplateEnvironment.addressText(entry.pointee),
                !addresses.contains(text)
            {
                addresses.append(text)
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// `inet_ntop` of an address; an IPv4-mapped IPv6 address prints as IPv4, as Go does.
    private static func addressText(_ info: addrinfo) -> String? {
        guard let address = info.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if info.ai_family == AF_INET {
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                guard inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)) != nil else {
                    return nil
                }
                return String(cBuffer: buffer)
            }
        }
        guard info.ai_family == AF_INET6 else { return nil }
        return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
            var raw = ipv6.pointee.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return bytes[12...].map { String($0) }.joined(separator: ".")
            }
            guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else {
                return nil
            }
            return String(cBuffer: buffer)
        }
    }
}
