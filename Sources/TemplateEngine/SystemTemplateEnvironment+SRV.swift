import Glibc

/// SRV lookups over UDP to the nameservers of resolv.conf (RFC 1035 §4.2.1).
extension SystemTemplateEnvironment {
    /// RFC 1035 §2.3.4 caps plain UDP answers at 512 bytes; EDNS answers can be larger, so
    /// the receive buffer allows the common 4096.
    static let responseBytesMax = 4096
    /// Nameservers tried per lookup (glibc's MAXNS).
    static let nameserversMax = 3

    public func lookupSRV(service: String, proto: String, name: String) -> [TemplateSRVRecord]? {
        let queryName = SRVQuery.name(service: service, proto: proto, name: name)
        let id = UInt16.random(in: 0...UInt16.max)
        guard let query = try? DNSSRVMessage.query(name: queryName, id: id) else { return nil }
        for server in nameservers().prefix(Self.nameserversMax) {
            guard let response = exchange(query, with: server) else { continue }
            do {
                return try DNSSRVMessage.decodeAnswers(response, id: id)
            } catch {
                continue
            }
        }
        return nil
    }

    /// IPv4 and IPv6 addresses from `nameserver` lines; 127.0.0.1 when there are none, as
    /// the resolver defaults.
    func nameservers() -> [String] {
        guard let file = fopen(resolvConfPath, "r") else { return ["127.0.0.1"] }
        defer { fclose(file) }
        var servers: [String] = []
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cBuffer: line)
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            if fields.count >= 2 && fields[0] == "nameserver" { servers.append(String(fields[1])) }
        }
        return servers.isEmpty ? ["127.0.0.1"] : servers
    }

    /// Sends the query to `server` at `dnsPort` and waits for one datagram.
    private func exchange(_ query: [UInt8], with server: String) -> [UInt8]? {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let isV6 = server.contains(":")
        let parsed =
            isV6
            ? inet_pton(AF_INET6, server, &v6.sin6_addr) : inet_pton(AF_INET, server, &v4.sin_addr)
        guard parsed == 1 else { return nil }
        let descriptor = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let connected: Int32
        if isV6 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = dnsPort.bigEndian
            connected = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = dnsPort.bigEndian
            connected = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard connected == 0, send(descriptor, query, query.count, 0) == query.count else {
            return nil
        }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, dnsTimeoutMilliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: Self.responseBytesMax)
        let received = recv(descriptor, &buffer, buffer.count, 0)
        guard received > 0 else { return nil }
        return Array(buffer.prefix(received))
    }
}
