#if canImport(Glibc)
import Glibc
#endif

/// Why a host or "host:port" text is not a socket address.
public enum SocketAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is longer than `SocketAddress.textBytesMax`.
    case tooLong(byteCount: Int)
    /// The host is neither a numeric IPv4/IPv6 address nor "localhost".
    case invalidHost(String)
    /// "host:port" had no ":port" part.
    case missingPort(String)
    /// The port is not a decimal number in 0...65535.
    case invalidPort(String)
    /// An IPv6 address with a port must be bracketed: "[::1]:2379" (RFC 3986 §3.2.2).
    case unbracketedIPv6(String)

    public var description: String {
        switch self {
        case .tooLong(let byteCount):
            "address text of \(byteCount) bytes exceeds \(SocketAddress.textBytesMax)"
        case .invalidHost(let host):
            "host \"\(host)\" is not a numeric IPv4/IPv6 address or \"localhost\""
        case .missingPort(let text): "\"\(text)\" has no \":port\""
        case .invalidPort(let port): "port \"\(port)\" is not a number in 0...65535"
        case .unbracketedIPv6(let text): "IPv6 address \"\(text)\" needs brackets: [addr]:port"
        }
    }
}

/// An IPv4 or IPv6 address and port. Names are not resolved (no DNS on the server's paths):
/// only numeric addresses and "localhost" (127.0.0.1) are accepted.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// Longest accepted "host:port" text. The longest valid form is a bracketed IPv4-mapped
    /// IPv6 address, "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535" (53 bytes);
    /// anything longer is rejected before it reaches inet_pton.
    public static let textBytesMax = 64

    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    /// The address bytes in network order plus the port in host order.
    enum Storage: Sendable, Hashable {
        /// `s_addr` as stored in `sockaddr_in` (network byte order).
        case ipv4(networkOrderAddress: UInt32, port: UInt16)
        /// The 16 address bytes as two words in memory order, and the scope id.
        case ipv6(high: UInt64, low: UInt64, scopeID: UInt32, port: UInt16)
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// A numeric IPv4 or IPv6 host (no brackets), or "localhost", and a port.
    public init(host: String, port: UInt16) throws(SocketAddressError) {
        guard host.utf8.count <= Self.textBytesMax else {
            throw .tooLong(byteCount: host.utf8.count)
        }
        if host == "localhost" {
            self = .ipv4Loopback(port: port)
            return
        }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            storage = .ipv4(networkOrderAddress: ipv4.s_addr, port: port)
            return
        }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, host, &ipv6) == 1 {
            let words = withUnsafeBytes(of: ipv6) { raw in
                (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                 raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
            storage = .ipv6(high: words.0, low: words.1, scopeID: 0, port: port)
            return
        }
        throw .invalidHost(host)
    }

    /// 127.0.0.1:`port`.
    public static func ipv4Loopback(port: UInt16) -> SocketAddress {
        let loopback = UInt32(0x7F00_0001).bigEndian
        return SocketAddress(storage: .ipv4(networkOrderAddress: loopback, port: port))
    }

    /// 0.0.0.0:`port` (every IPv4 interface).
    public static func ipv4Any(port: UInt16) -> SocketAddress {
        SocketAddress(storage: .ipv4(networkOrderAddress: 0, port: port))
    }

    /// Parses "127.0.0.1:2379", "[::1]:2379" or "localhost:2379".
    public static func parse(_ hostPort: String) throws(SocketAddressError) -> SocketAddress {
        let bytes = Array(hostPort.utf8)
        guard bytes.count <= textBytesMax else { throw .tooLong(byteCount: bytes.count) }
        let colon = UInt8(ascii: ":")
        let host: String
        let portText: String
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else {
                throw .invalidHost(hostPort)
            }
            guard close + 1 < bytes.count, bytes[close + 1] == colon else {
                throw .missingPort(hostPort)
            }
            host = String(decoding: bytes[1..<close], as: UTF8.self)
            portText = String(decoding: bytes[(close + 2)...], as: UTF8.self)
            guard host.utf8.contains(colon) else { throw .invalidHost(host) }
        } else {
            guard let lastColon = bytes.lastIndex(of: colon) else { throw .missingPort(hostPort) }
            guard bytes.firstIndex(of: colon) == lastColon else {
                throw .unbracketedIPv6(hostPort)
            }
            host = String(decoding: bytes[..<lastColon], as: UTF8.self)
            portText = String(decoding: bytes[(lastColon + 1)...], as: UTF8.self)
        }
        return try SocketAddress(host: host, port: parsePort(portText))
    }

    /// A decimal port: 1 to 5 ASCII digits, value at most 65535 (no sign, no spaces).
    static func parsePort(_ text: String) throws(SocketAddressError) -> UInt16 {
        let digits = text.utf8
        guard (1...5).contains(digits.count),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let port = UInt16(text)
        else { throw .invalidPort(text) }
        return port
    }

    public var family: Family {
        switch storage {
        case .ipv4: .ipv4
        case .ipv6: .ipv6
        }
    }

    public var port: UInt16 {
        switch storage {
        case .ipv4(_, let port), .ipv6(_, _, _, let port): port
        }
    }

    /// The numeric host, e.g. "127.0.0.1" or "::1" (no brackets).
    public var host: String {
        // INET6_ADDRSTRLEN (46) covers both families, including the terminator.
        var text = [CChar](repeating: 0, count: 46)
        let written: UnsafePointer<CChar>?
        switch storage {
        case .ipv4(let address, _):
            var value = in_addr(s_addr: address)
            written = inet_ntop(AF_INET, &value, &text, socklen_t(text.count))
        case .ipv6(let high, let low, _, _):
            var words = (high, low)
            written = inet_ntop(AF_INET6, &words, &text, socklen_t(text.count))
        }
        precondition(written != nil, "inet_ntop cannot fail with a 46-byte buffer")
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                      as: UTF8.self)
    }

    /// "127.0.0.1:2379" or "[::1]:2379": the form `parse` accepts.
    public var description: String {
        switch storage {
        case .ipv4: "\(host):\(port)"
        case .ipv6: "[\(host)]:\(port)"
        }
    }

    /// The same address with another port.
    public func withPort(_ newPort: UInt16) -> SocketAddress {
        switch storage {
        case .ipv4(let address, _):
            SocketAddress(storage: .ipv4(networkOrderAddress: address, port: newPort))
        case .ipv6(let high, let low, let scopeID, _):
            SocketAddress(storage: .ipv6(high: high, low: low, scopeID: scopeID, port: newPort))
        }
    }
}
