import TemplateEngine
import Testing

/// confd's own golden cases: `resource/template/template_test.go` and the
/// `integration/confdir/templates` + `integration/expect` pairs, byte for byte.
@Suite("confd golden templates")
struct ConfdGoldenTests {
    @Test("base, get: {{with get}} exposes .Key and .Value (template_test.go)")
    func getWith() throws {
        let text = "\n{{with get \"/test/key\"}}\nkey: {{base .Key}}\nval: {{.Value}}\n{{end}}\n"
        #expect(try render(text, ["/test/key": "abc"]) == "\n\nkey: key\nval: abc\n\n")
    }

    @Test("gets ranges over matching pairs sorted by key (template_test.go)")
    func gets() throws {
        let text = "\n{{range gets \"/test/*\"}}\nkey: {{.Key}}\nval: {{.Value}}\n{{end}}\n"
        let keys = ["/test/user": "mary", "/test/pass": "abc", "/nada/url": "url"]
        #expect(
            try render(text, keys)
                == "\n\nkey: /test/pass\nval: abc\n\nkey: /test/user\nval: mary\n\n")
    }

    @Test("getv returns values (template_test.go)")
    func getv() throws {
        let text = "\nurl = {{getv \"/test/url\"}}\nuser = {{getv \"/test/user\"}}\n"
        let keys = ["/test/url": "http://www.abc.com", "/test/user": "bob"]
        #expect(try render(text, keys) == "\nurl = http://www.abc.com\nuser = bob\n")
    }

    @Test("getvs returns values sorted by value (template_test.go)")
    func getvs() throws {
        let text = "\n{{range getvs \"/test/*\"}}\nval: {{.}}\n{{end}}\n"
        let keys = ["/test/user": "mary", "/test/pass": "abc", "/nada/url": "url"]
        #expect(try render(text, keys) == "\n\nval: abc\n\nval: mary\n\n")
    }

    @Test("split and index (template_test.go)")
    func split() throws {
        let text = """

            {{$data := split (getv "/test/data") ":"}}
            f: {{index $data 0}}
            br: {{index $data 1}}
            bz: {{index $data 2}}

            """
        #expect(try render(text, ["/test/data": "foo:bar:baz"]) == "\n\nf: foo\nbr: bar\nbz: baz\n")
    }

    @Test("json decodes objects for field access (template_test.go)")
    func json() throws {
        let text =
            "\n{{range getvs \"/test/data/*\"}}\n{{$data := json .}}\nid: {{$data.Id}}\n"
            + "ip: {{$data.IP}}\n{{end}}\n"
        let keys = [
            "/test/data/1": #"{"Id":"host1", "IP":"192.168.10.11"}"#,
            "/test/data/2": #"{"Id":"host2", "IP":"192.168.10.12"}"#,
        ]
        #expect(
            try render(text, keys)
                == "\n\n\nid: host1\nip: 192.168.10.11\n\n\nid: host2\nip: 192.168.10.12\n\n")
    }

    @Test("jsonArray decodes arrays (template_test.go)")
    func jsonArray() throws {
        let text = "\n{{range jsonArray (getv \"/test/data/\")}}\nnum: {{.}}\n{{end}}\n"
        #expect(
            try render(text, ["/test/data/": #"["1", "2", "3"]"#])
                == "\n\nnum: 1\n\nnum: 2\n\nnum: 3\n\n")
    }

    @Test("ls lists children (template_test.go)")
    func ls() throws {
        let text = "\n{{range ls \"/test/data\"}}\nvalue: {{.}}\n{{end}}\n"
        let keys = ["/test/data/abc": "123", "/test/data/def": "456", "/test/data/ghi": "789"]
        #expect(try render(text, keys) == "\n\nvalue: abc\n\nvalue: def\n\nvalue: ghi\n\n")
    }

    @Test("lsdir lists only children with children (template_test.go)")
    func lsdir() throws {
        let text = "\n{{range lsdir \"/test/data\"}}\nvalue: {{.}}\n{{end}}\n"
        let keys = [
            "/test/data/abc": "123", "/test/data/def/ghi": "456", "/test/data/jkl/mno": "789",
        ]
        #expect(try render(text, keys) == "\n\nvalue: def\n\nvalue: jkl\n\n")
    }

    @Test("integration basic.conf renders expect/basic.conf")
    func integrationBasic() throws {
        let text = """
            hostname: {{getenv "HOSTNAME"}}
            [database]
            host={{getv "/database/host"}}
            password={{getv "/database/password"}}
            port={{getv "/database/port"}}
            username={{getv "/database/username"}}

            """
        let keys = [
            "/database/host": "127.0.0.1", "/database/password": "p@sSw0rd",
            "/database/port": "3306", "/database/username": "confd",
        ]
        let environment = StaticTemplateEnvironment(variables: ["HOSTNAME": "localhost"])
        #expect(
            try render(text, keys, environment: environment)
                == "hostname: localhost\n[database]\nhost=127.0.0.1\npassword=p@sSw0rd\n"
                + "port=3306\nusername=confd\n")
    }

    @Test("integration iteration.conf trims with {{- and renders expect/iteration.conf")
    func integrationIteration() throws {
        let text = """
            upstream app {
            {{- range gets "/upstream/*" }}
              server {{ .Value }};
            {{- end }}
            }

            """
        let keys = ["/upstream/app1": "10.0.1.10:8080", "/upstream/app2": "10.0.1.11:8080"]
        #expect(
            try render(text, keys)
                == "upstream app {\n  server 10.0.1.10:8080;\n  server 10.0.1.11:8080;\n}\n")
    }

    @Test("integration exists-test.conf renders exactly 'value: foobar'")
    func integrationExists() throws {
        let text =
            "{{ if exists \"/key\" }}value: {{ getv \"/key\" }}{{ end }}\n"
            + "{{- if exists \"/doesnotexist\" }}value: {{ getv \"/doesnotexist\" }}{{ end }}"
        #expect(try render(text, ["/key": "foobar"]) == "value: foobar")
    }

    @Test("integration nested.conf ranges gets over .Key of an outer gets")
    func integrationNested() throws {
        let text =
            "upstream app {\n{{ range gets \"/nested/*\" }}\n  {{ range gets .Key }}\n"
            + "    server {{ .Value }};\n  {{ end }}\n{{ end }}\n}\n"
        let keys = ["/nested/east": "10.0.1.10:8080", "/nested/west": "10.0.1.11:8080"]
        #expect(
            try render(text, keys)
                == "upstream app {\n\n  \n    server 10.0.1.10:8080;\n  \n\n  \n"
                + "    server 10.0.1.11:8080;\n  \n\n}\n")
    }

    @Test("nginx-from-JSON idiom: index with a '/' key and a field of a parenthesized call")
    func dockerJSON() throws {
        let text = """
            {{ range $machine := lsdir "/docker/machines/" -}}
            {{ range (printf "%s%s%s" "/docker/machines/" $machine "/containers/*" | getvs) -}}
            {{ $c := json . -}}
            {{ $web := index $c.NetworkSettings.Ports "80/tcp" -}}
            {{ if $web }}upstream {{base $c.Name}} \
            { server {{ $machine }}:{{(index $web 0).HostPort}}; }
            {{ end }}{{ end }}{{ end }}
            """
        let container =
            #"{"Name":"/web1","NetworkSettings":{"Ports":{"80/tcp":[{"HostPort":"32768"}]}}}"#
        let keys = ["/docker/machines/m1/containers/a": container]
        #expect(try render(text, keys) == "upstream web1 { server m1:32768; }\n")
    }
}
