import TemplateEngine
import Testing

@Suite("Template.literalArguments")
struct TemplateLiteralArgumentsTests {
    static func serviceArguments(_ text: String) throws -> TemplateLiteralArguments {
        try Template.parse(name: "t", text: text).literalArguments(of: "service")
    }

    @Test("collects each string literal passed to service, raw strings and tag forms included")
    func literals() throws {
        #expect(
            try Self.serviceArguments(
                #"{{service "web"}}{{range service "v2.web"}}{{.Port}}{{end}}{{service `db`}}"#)
                == .literals(["web", "v2.web", "db"]))
        #expect(
            try Self.serviceArguments(#"{{service "web"}}{{service "web"}}"#) == .literals(["web"]))
    }

    @Test("a template that never calls service passes no literal; other functions do not count")
    func none() throws {
        #expect(
            try Self.serviceArguments(#"{{$n := "x"}}{{getv $n "d"}}{{range services}}{{end}}"#)
                == .literals([]))
    }

    @Test("finds calls in define, template, block, range, if, else, with, parentheses, chains")
    func everyPlace() throws {
        let text = """
            {{define "upstream"}}{{range service "a"}}{{.ID}}{{end}}{{end}}\
            {{define "unused"}}{{service "f"}}{{end}}\
            {{if exists "/x"}}{{template "upstream"}}{{else if true}}{{len (service "b")}}\
            {{else}}{{end}}{{with service "c"}}{{.}}{{end}}{{template "upstream" service "d"}}\
            {{block "inner" .}}{{index (service "e") 0}}{{end}}{{(service "g").Field}}
            """
        #expect(
            try Self.serviceArguments(text) == .literals(["a", "b", "c", "d", "e", "f", "g"]))
    }

    @Test(
        "an argument known only at run time makes the set unknown, wherever it is",
        arguments: [
            #"{{$n := "web"}}{{service $n}}"#,
            #"{{service .Name}}"#,
            #"{{service (printf "%s" "web")}}"#,
            #"{{"web" | service}}"#,
            #"{{service "web" "extra"}}"#,
            #"{{service}}"#,
            #"{{len service}}"#,
            #"{{service.Name}}"#,
            #"{{service "web"}}{{define "d"}}{{range $s := ls "/"}}{{service $s}}{{end}}{{end}}"#,
            #"{{range $i, $s := split "a,b" ","}}{{if $s}}{{with service $s}}{{end}}{{end}}"#
                + "{{end}}",
        ])
    func unknown(text: String) throws {
        #expect(try Self.serviceArguments(text) == .unknown)
    }
}
