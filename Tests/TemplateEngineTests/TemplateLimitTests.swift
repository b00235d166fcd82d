import Foundation
import TemplateEngine
import Testing

@Suite("limits are enforced at limit and limit+1")
struct TemplateLimitTests {
    @Test("templateBytesMax bounds the source")
    func templateBytes() throws {
        var limits = TemplateLimits()
        limits.templateBytesMax = 10
        #expect(try render(String(repeating: "a", count: 10), limits: limits).count == 10)
        let error = renderError(String(repeating: "a", count: 11), limits: limits)
        #expect(error?.kind == .limit)
        #expect(error?.message.contains("templateBytesMax") == true)
    }

    @Test("outputBytesMax bounds the rendered bytes")
    func outputBytes() throws {
        var limits = TemplateLimits()
        limits.outputBytesMax = 6
        #expect(try render("{{range seq 1 3}}ab{{end}}", limits: limits) == "ababab")
        let error = renderError("{{range seq 1 3}}ab{{end}}c", limits: limits)
        #expect(error?.kind == .limit)
        #expect(error?.message.contains("outputBytesMax") == true)
    }

    @Test("rangeIterationsMax counts iterations of all loops in a render")
    func rangeIterations() throws {
        var limits = TemplateLimits()
        limits.rangeIterationsMax = 6
        #expect(
            try render("{{range seq 1 2}}{{range seq 1 2}}x{{end}}{{end}}", limits: limits)
                == "xxxx")
        #expect(try render("{{range seq 1 6}}x{{end}}", limits: limits) == "xxxxxx")
        #expect(renderError("{{range seq 1 7}}x{{end}}", limits: limits)?.kind == .limit)
        #expect(
            renderError(
                "{{range seq 1 3}}{{range seq 1 2}}x{{end}}{{end}}{{range 1}}{{end}}",
                limits: limits)?.kind == .limit)
        #expect(renderError("{{range 7}}x{{end}}", limits: limits)?.kind == .limit)
    }

    static let recursive =
        "{{define \"r\"}}{{if gt . 0}}{{template \"r\" (sub . 1)}}{{end}}{{end}}{{template"
        + " \"r\" N}}"

    @Test("templateCallDepthMax bounds nested {{template}} calls (Go maxExecDepth)")
    func templateDepth() throws {
        var limits = TemplateLimits()
        limits.templateCallDepthMax = 5
        // N = 4 makes 5 nested calls (4, 3, 2, 1, 0).
        let atLimit = Self.recursive.replacingOccurrences(of: "N", with: "4")
        #expect(try render(atLimit, limits: limits) == "")
        let overLimit = Self.recursive.replacingOccurrences(of: "N", with: "5")
        let error = renderError(overLimit, limits: limits)
        #expect(error?.kind == .limit)
        #expect(error?.message == "exceeded maximum template depth (5)")
    }

    @Test("the default template depth is reachable without exhausting the stack")
    func defaultDepth() throws {
        let limit = TemplateLimits().templateCallDepthMax
        let atLimit = Self.recursive.replacingOccurrences(of: "N", with: String(limit - 1))
        #expect(try render(atLimit) == "")
        let overLimit = Self.recursive.replacingOccurrences(of: "N", with: String(limit))
        #expect(renderError(overLimit)?.kind == .limit)
    }

    @Test("executionDepthMax stops the deepest recursion cleanly on a test thread's stack")
    func executionDepth() throws {
        var limits = TemplateLimits()
        limits.templateCallDepthMax = 1_000_000
        let text = Self.recursive.replacingOccurrences(of: "N", with: "100000")
        let error = renderError(text, limits: limits)
        #expect(error?.kind == .limit)
        #expect(error?.message.contains("executionDepthMax") == true)
        // The same with every level also nesting parentheses up to the parse limit.
        let parens =
            String(repeating: "(", count: 90) + "sub . 1" + String(repeating: ")", count: 90)
        let nested =
            "{{define \"r\"}}{{if gt . 0}}{{template \"r\" \(parens)}}{{end}}{{end}}"
            + "{{template \"r\" 100000}}"
        #expect(renderError(nested, limits: limits)?.kind == .limit)
    }

    @Test("executionDepthMax counts nested control structures and pipelines")
    func executionDepthAtLimit() throws {
        var limits = TemplateLimits()
        limits.executionDepthMax = 3
        // if (1), its pipeline (2, left again), inner if (2), its pipeline (3).
        #expect(try render("{{if 1}}{{if 1}}x{{end}}{{end}}", limits: limits) == "x")
        #expect(
            renderError("{{if 1}}{{if 1}}{{if 1}}x{{end}}{{end}}{{end}}", limits: limits)?
                .kind == .limit)
    }

    @Test("nestingDepthMax bounds parentheses and control nesting while parsing")
    func nesting() throws {
        var limits = TemplateLimits()
        limits.nestingDepthMax = 3
        #expect(try render("{{(((1)))}}", limits: limits) == "1")
        #expect(renderError("{{((((1))))}}", limits: limits)?.kind == .limit)
        #expect(try render("{{if 1}}{{if 1}}{{if 1}}x{{end}}{{end}}{{end}}", limits: limits) == "x")
        #expect(
            renderError(
                "{{if 1}}{{if 1}}{{if 1}}{{if 1}}x{{end}}{{end}}{{end}}{{end}}", limits: limits)?
                .kind == .limit)
    }

    @Test("nesting far beyond the default limit fails cleanly instead of overflowing the stack")
    func deepNesting() {
        let text =
            "{{" + String(repeating: "(", count: 100_000) + "1"
            + String(repeating: ")", count: 100_000) + "}}"
        #expect(renderError(text)?.kind == .limit)
    }

    @Test("valueCountMax bounds seq and split results")
    func valueCount() throws {
        var limits = TemplateLimits()
        limits.valueCountMax = 4
        #expect(try render("{{len (seq 1 4)}}", limits: limits) == "4")
        #expect(renderError("{{seq 1 5}}", limits: limits)?.kind == .limit)
        #expect(try render("{{len (split \"a,b,c,d\" \",\")}}", limits: limits) == "4")
        #expect(renderError("{{split \"a,b,c,d,e\" \",\"}}", limits: limits)?.kind == .limit)
    }

    @Test("valueBytesMax bounds strings built by printf, replace and join")
    func valueBytes() throws {
        var limits = TemplateLimits()
        limits.valueBytesMax = 4
        #expect(try render("{{printf \"%4d\" 1}}", limits: limits) == "   1")
        #expect(renderError("{{printf \"%5d\" 1}}", limits: limits)?.kind == .limit)
        #expect(try render("{{replace \"ab\" \"b\" \"cde\" -1}}", limits: limits) == "acde")
        #expect(renderError("{{replace \"ab\" \"b\" \"cdef\" -1}}", limits: limits)?.kind == .limit)
        #expect(try render("{{join (split \"a,b\" \",\") \"--\"}}", limits: limits) == "a--b")
        #expect(
            renderError("{{join (split \"a,b\" \",\") \"---\"}}", limits: limits)?.kind == .limit)
    }

    @Test("printf widths: Go's parsenum stops past 1e6, and no width may outgrow valueBytesMax")
    func hugeWidth() throws {
        #expect(try render("{{printf \"%1000001d\" 1}}").utf8.count == 1_000_001)
        #expect(try render("{{printf \"%100000000d\" 1}}") == "%!(NOVERB)%!(EXTRA int=1)")
        var limits = TemplateLimits()
        limits.valueBytesMax = 1000
        #expect(try render("{{printf \"%1000d\" 1}}", limits: limits).utf8.count == 1000)
        #expect(renderError("{{printf \"%1001d\" 1}}", limits: limits)?.kind == .limit)
        #expect(renderError("{{printf \"%.1001f\" 1.0}}", limits: limits)?.kind == .limit)
    }
}
