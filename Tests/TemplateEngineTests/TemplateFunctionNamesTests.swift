import TemplateEngine
import Testing

@Suite("Template.functionNames")
struct TemplateFunctionNamesTests {
    @Test("finds calls in actions, branches, else bodies, nested pipelines and defines")
    func everyPlace() throws {
        let template = try Template.parse(
            name: "t",
            text: """
                {{getv "/a"}}{{if exists "/b"}}{{range service "web"}}{{.Port}}{{end}}\
                {{else}}{{len (nodes)}}{{end}}{{with $x := split "a,b" ","}}{{$x}}{{end}}\
                {{define "inner"}}{{toUpper (printf "%d" 1)}}{{end}}{{template "inner" services}}
                """)
        #expect(
            template.functionNames == [
                "getv", "exists", "service", "nodes", "len", "split", "toUpper", "printf",
                "services",
            ])
    }

    @Test("a function followed by a field is a call too (Go evaluates nodes.X as (nodes).X)")
    func chained() throws {
        #expect(try Template.parse(name: "t", text: "{{nodes.X}}").functionNames == ["nodes"])
    }

    @Test("a template without calls names none; fields and variables are not functions")
    func none() throws {
        let template = try Template.parse(name: "t", text: "x {{.Name}} {{$}} {{\"lit\"}}")
        #expect(template.functionNames.isEmpty)
    }
}
