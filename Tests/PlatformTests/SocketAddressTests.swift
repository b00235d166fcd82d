import Platform
import Testing

@Suite("SocketAddress")
struct SocketAddressTests {
    struct Valid: Sendable, CustomStringConvertible {
        let text: String
        let host: String
        let port: UInt16
        let family: SocketAddress.Family
        let canonical: String
        var description: String { text }
    }

    static let valid: [Valid] = [
        Valid(text: "127.0.0.1:2379", host: "127.0.0.1", port: 2379, family: .ipv4,
              canonical: "127.0.0.1:2379"),
        Valid(text: "[::1]:2379", host: "::1", port: 2379, family: .ipv6,
              canonical: "[::1]:2379"),
        Valid(text: "localhost:2379", host: "127.0.0.1", port: 2379, family: .ipv4,
              canonical: "127.0.0.1:2379"),
        Valid(text: "0.0.0.0:0", host: "0.0.0.0", port: 0, family: .ipv4,
              canonical: "0.0.0.0:0"),
        Valid(text: "10.1.2.3:65535", host: "10.1.2.3", port: 65535, family: .ipv4,
              canonical: "10.1.2.3:65535"),
        Valid(text: "[2001:DB8:0:0::1]:80", host: "2001:db8::1", port: 80, family: .ipv6,
              canonical: "[2001:db8::1]:80"),
        Valid(text: "[::]:8500", host: "::", port: 8500, family: .ipv6, canonical: "[::]:8500"),
    ]

    @Test("a valid host:port parses to its host, port and family, and prints canonically",
          arguments: valid)
    func parsesValid(_ case_: Valid) throws {
        let address = try SocketAddress.parse(case_.text)
        #expect(address.host == case_.host)
        #expect(address.port == case_.port)
        #expect(address.family == case_.family)
        #expect(address.description == case_.canonical)
        #expect(try SocketAddress.parse(address.description) == address)
    }

    static let invalid: [(String, SocketAddressError)] = [
        ("127.0.0.1", .missingPort("127.0.0.1")),
        ("[::1]", .missingPort("[::1]")),
        ("[::1]2379", .missingPort("[::1]2379")),
        ("::1:2379", .unbracketedIPv6("::1:2379")),
        ("127.0.0.1:", .invalidPort("")),
        ("127.0.0.1:65536", .invalidPort("65536")),
        ("127.0.0.1:+80", .invalidPort("+80")),
        ("127.0.0.1: 80", .invalidPort(" 80")),
        ("127.0.0.1:123456", .invalidPort("123456")),
        ("example.com:80", .invalidHost("example.com")),
        ("256.0.0.1:80", .invalidHost("256.0.0.1")),
        ("[::1:80", .invalidHost("[::1:80")),
        ("[127.0.0.1]:80", .invalidHost("127.0.0.1")),
        (":80", .invalidHost("")),
    ]

    @Test("a malformed host:port is rejected with the reason", arguments: invalid)
    func rejectsInvalid(_ text: String, _ expected: SocketAddressError) {
        #expect(throws: expected) { try SocketAddress.parse(text) }
    }

    @Test("text of textBytesMax bytes is examined, one byte more is rejected as too long")
    func textLimit() {
        let atLimit = String(repeating: "1", count: SocketAddress.textBytesMax - 3) + ":80"
        #expect(atLimit.utf8.count == SocketAddress.textBytesMax)
        #expect(throws: SocketAddressError.invalidHost(
            String(repeating: "1", count: SocketAddress.textBytesMax - 3))) {
            try SocketAddress.parse(atLimit)
        }
        let overLimit = "1" + atLimit
        #expect(throws: SocketAddressError.tooLong(byteCount: SocketAddress.textBytesMax + 1)) {
            try SocketAddress.parse(overLimit)
        }
    }

    @Test("the longest valid form (bracketed IPv4-mapped IPv6, port 65535) fits the limit")
    func longestValidForm() throws {
        let text = "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535"
        #expect(text.utf8.count <= SocketAddress.textBytesMax)
        let address = try SocketAddress.parse(text)
        #expect(address.port == 65535)
        #expect(address.family == .ipv6)
    }

    @Test("\"localhost\" and 127.0.0.1 are the same address; ports distinguish addresses")
    func equality() throws {
        let loopback = SocketAddress.ipv4Loopback(port: 1)
        #expect(try SocketAddress(host: "localhost", port: 1) == loopback)
        #expect(try SocketAddress.parse("127.0.0.1:1") != SocketAddress.parse("127.0.0.1:2"))
        #expect(loopback.withPort(2) == SocketAddress.ipv4Loopback(port: 2))
        #expect(SocketAddress.ipv4Any(port: 9).description == "0.0.0.0:9")
    }
}
