/// A renderer made from a closure, for wiring and tests.
public struct ClosureRenderer: ConfdRenderer {
    private let body: @Sendable (ConfdRenderInput) throws(ConfdRenderError) -> [UInt8]

    public init(
        _ body: @escaping @Sendable (ConfdRenderInput) throws(ConfdRenderError) -> [UInt8]
    ) {
        self.body = body
    }

    public func render(_ input: ConfdRenderInput) throws(ConfdRenderError) -> [UInt8] {
        try body(input)
    }
}
