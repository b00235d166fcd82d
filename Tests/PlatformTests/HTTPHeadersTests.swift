import Platform
import Testing

@Suite("HTTP header fields")
struct HTTPHeadersTests {
    @Test("names match case-insensitively; duplicates keep their order (RFC 9110 §5.1, §5.3)")
    func lookup() {
        var headers = HTTPHeaders()
        headers.add(name: "X-Consul-Index", value: "7")
        headers.add(name: "Set-Cookie", value: "a=1")
        headers.add(name: "set-cookie", value: "b=2")
        #expect(headers.count == 3)
        #expect(headers.first("x-consul-index") == "7")
        #expect(headers.firstBytes("X-CONSUL-INDEX") == "7".bytes)
        #expect(headers.values("SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.first("Missing") == nil)
        #expect(headers.values("Missing").isEmpty)
        #expect(headers.map(\.name) == ["X-Consul-Index", "Set-Cookie", "set-cookie"])
    }

    @Test(
        "CR, LF and NUL in an added value become SP: no header injection (RFC 9110 §5.5)"
    )
    func noInjection() {
        var headers = HTTPHeaders()
        headers.add(name: "Location", value: "/a\r\nSet-Cookie: evil\u{0}")
        #expect(headers.first("location") == "/a  Set-Cookie: evil ")
        var output: [UInt8] = []
        HTTPResponseEncoder.head(
            .ok, headers: headers, contentLength: 0, keepAlive: true, into: &output)
        #expect(output.filter { $0 == 0x0A }.count == 4)
    }

    @Test("equality ignores name case but not value case or order")
    func equality() {
        #expect(HTTPHeaders([("A", "x")]) == HTTPHeaders([("a", "x")]))
        #expect(HTTPHeaders([("A", "x")]) != HTTPHeaders([("A", "X")]))
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) != HTTPHeaders([("B", "2"), ("A", "1")]))
    }

    @Test("set replaces every field of a name; remove deletes them all")
    func setAndRemove() {
        var headers = HTTPHeaders([("A", "1"), ("B", "2"), ("a", "3")])
        headers.set(name: "A", value: "4")
        #expect(headers == HTTPHeaders([("B", "2"), ("A", "4")]))
        headers.remove("b")
        #expect(headers == HTTPHeaders([("A", "4")]))
    }
}
