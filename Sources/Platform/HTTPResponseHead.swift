/// The status line and header section of a response, as a client sees it.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var version: HTTPVersion

    public init(status: Int, headers: HTTPHeaders, version: HTTPVersion = .http11) {
        self.status = status
        self.headers = headers
        self.version = version
    }
}
