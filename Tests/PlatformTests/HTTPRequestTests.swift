import Platform
import Testing

@Suite("HTTP request target")
struct HTTPRequestTests {
    static func request(_ target: String) -> HTTPRequest {
        HTTPRequest(method: .get, target: target.bytes)
    }

    @Test(
        "query items split on & and =, with + and %XX decoded (RFC 3986 §2.1, urlencoded)"
    )
    func queryItems() {
        let items = Self.request("/v1/kv/a?recurse&index=12&q=a+b%20c&empty=&&k%3D=v%26")
            .queryItems()
        #expect(items.map(\.name) == ["recurse", "index", "q", "empty", "k="])
        #expect(items.map(\.value) == [nil, "12", "a b c", "", "v&"])
        #expect(Self.request("/x").queryItems().isEmpty)
        #expect(Self.request("/x?recurse").queryValue("recurse") == "")
        #expect(Self.request("/x?index=3").queryValue("index") == "3")
        #expect(Self.request("/x?index=3").queryValue("wait") == nil)
    }

    @Test(
        "the path is percent-decoded; + stays +; bad escapes stay raw (RFC 3986 §2.1)"
    )
    func pathString() {
        #expect(Self.request("/v1/kv/a%2Fb%20c+d?x=1").pathString == "/v1/kv/a/b c+d")
        #expect(Self.request("/bad%zz%4").pathString == "/bad%zz%4")
        #expect(Self.request("/caf%C3%A9").pathString == "/café")
        #expect(Self.request("/v1/kv/a%2Fb").path == "/v1/kv/a%2Fb".bytes)
    }

    @Test(
        "statuses have registered reasons; unknown codes get their class (RFC 9110 §15)")
    func statuses() {
        #expect(HTTPStatus.code(404) == .notFound)
        #expect(HTTPStatus.code(431).reason == "Request Header Fields Too Large")
        #expect(HTTPStatus.code(599).code == 599)
        #expect(HTTPStatus.preconditionFailed.code == 412)
    }
}
