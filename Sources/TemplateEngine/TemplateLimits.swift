/// Bounds on one parse and one render, so a hostile or buggy template (or key data) cannot
/// exhaust memory or the stack of the agent. Exceeding one is a `TemplateError` of kind
/// `.limit` naming the limit.
public struct TemplateLimits: Sendable, Equatable {
    /// Template source size. Real confd templates are a few KiB; 1 MiB leaves room for
    /// generated ones while bounding the token and node arrays built from it.
    public var templateBytesMax = 1 << 20
    /// Rendered output size. The output is staged in memory before the file is written, so
    /// this caps the memory one render can hold.
    public var outputBytesMax = 64 << 20
    /// `range` iterations over a whole render (all loops together). Bounds CPU time of
    /// nested loops over big key sets.
    public var rangeIterationsMax = 1_000_000
    /// Nested `{{template}}` calls. Go allows 100000 on its growable goroutine stacks
    /// (`maxExecDepth`); here each level is several native frames on a fixed-size thread
    /// stack (512 KiB on secondary threads), so the limit is far lower. Only accidental
    /// recursion reaches it.
    public var templateCallDepthMax = 100
    /// Nested evaluation frames of one render (control structures, template calls,
    /// pipelines): the executor recurses once per level, and this bound keeps the deepest
    /// render inside a 512 KiB thread stack even in debug builds (measured: ~550 levels).
    public var executionDepthMax = 300
    /// Nesting of control structures and parentheses while parsing; the parser recurses once
    /// per level (Go caps parse nesting too: `maxStackDepth`).
    public var nestingDepthMax = 100
    /// Length of a list built by `seq`, and of a string built by `replace`, `join`, `print`
    /// or `printf`: intermediate values must not be able to outgrow the output limit.
    public var valueCountMax = 1_000_000
    /// Bytes of one string built by a function (`replace`, `join`, `printf`, ...).
    public var valueBytesMax = 16 << 20

    public init() {}
}
