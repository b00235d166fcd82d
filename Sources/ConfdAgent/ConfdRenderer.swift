/// The seam where the template engine plugs in: `TemplateEngineRenderer` in production,
/// a `ClosureRenderer` in tests of the stage/check/rename/reload sequence.
///
/// Called on the agent's threads, once per resource per run. confd re-reads and re-parses
/// the template on every run (reference/confd.md §1.3), so `templateText` is fresh each time;
/// an engine may cache parsed templates keyed by the text.
public protocol ConfdRenderer: Sendable {
    func render(_ input: ConfdRenderInput) throws(ConfdRenderError) -> [UInt8]
}
