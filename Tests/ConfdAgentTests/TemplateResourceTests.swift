import Testing

@testable import ConfdAgent

@Suite("Template resources (reference/confd.md §1.1)")
struct TemplateResourceTests {
    private func resource(_ body: String) throws(TemplateResourceError) -> TemplateResource {
        try TemplateResource.parse(Array(("[template]\n" + body).utf8), origin: "r.toml")
    }

    private let minimal = "src = \"a.tmpl\"\ndest = \"/tmp/a\"\n"

    @Test("every confd field decodes; -1 uid/gid mean the agent's own ids")
    func fields() throws {
        let loaded = try resource("""
            src = "nginx.conf.tmpl"
            dest = "/etc/nginx/nginx.conf"
            uid = 0
            gid = -1
            mode = "0640"
            prefix = "/production"
            keys = ["/nginx", "/upstreams"]
            check_cmd = "/usr/sbin/nginx -t -c {{.src}}"
            reload_cmd = "/usr/sbin/service nginx restart"
            """)
        #expect(loaded.source == "nginx.conf.tmpl")
        #expect(loaded.destination == "/etc/nginx/nginx.conf")
        #expect(loaded.userID == 0)
        #expect(loaded.groupID == nil)
        #expect(loaded.mode == 0o640)
        #expect(loaded.prefix == "/production")
        #expect(loaded.keys == ["/nginx", "/upstreams"])
        #expect(loaded.checkCommand?.command(stagePath: "/etc/nginx/.nginx.conf123",
                                              destinationPath: "/etc/nginx/nginx.conf")
            == "/usr/sbin/nginx -t -c /etc/nginx/.nginx.conf123")
        #expect(loaded.reloadCommand == "/usr/sbin/service nginx restart")
        #expect(loaded.warnings.isEmpty)
    }

    @Test("keys match case-insensitively, as BurntSushi/toml does for confd")
    func caseInsensitive() throws {
        let loaded = try TemplateResource.parse(
            Array("[Template]\nSRC = \"a\"\nDest = \"/tmp/a\"\nKeys = [\"/k\"]\n".utf8),
            origin: "r.toml")
        #expect(loaded.source == "a")
        #expect(loaded.keys == ["/k"])
        #expect(throws: TemplateResourceError.self) {
            try resource(minimal + "Mode = \"0600\"\nmode = \"0644\"\n")
        }
    }

    @Test(
        "mode is octal with a leading 0, or a TOML integer; \"644\" is refused (not decimal)",
        arguments: [
            ("\"0644\"", UInt32?.some(0o644)), ("\"0755\"", 0o755), ("\"0o600\"", 0o600),
            ("\"04755\"", 0o4755), ("\"0\"", 0), ("0o644", 0o644), ("420", 0o644),
            ("\"644\"", nil), ("\"0x1a4\"", nil), ("\"0888\"", nil), ("\"010000\"", nil),
            ("0o10000", nil), ("-1", nil), ("true", nil), ("\"\"", nil), ("644", nil),
            ("755", nil), ("\"01644\"", nil), ("0o2755", 0o2755),
        ])
    func mode(text: String, expected: UInt32?) {
        let result = Result { () throws(TemplateResourceError) in
            try resource(minimal + "mode = \(text)\n")
        }
        switch result {
        case .success(let loaded): #expect(loaded.mode == expected, "\(text)")
        case .failure(let error):
            #expect(expected == nil, "\(text): \(error)")
            #expect(error.description.contains("mode"))
        }
    }

    @Test("without mode the resource leaves the choice to the destination (nil)")
    func modeUnset() throws {
        #expect(try resource(minimal).mode == nil)
    }

    @Test(
        "uid and gid must be -1 or a valid id",
        arguments: [("0", true), ("-1", true), ("4294967294", true), ("4294967295", false),
                    ("-2", false), ("\"0\"", false)])
    func identifiers(text: String, valid: Bool) {
        let result = Result { () throws(TemplateResourceError) in
            try resource(minimal + "uid = \(text)\ngid = \(text)\n")
        }
        #expect(((try? result.get()) != nil) == valid, "\(text)")
    }

    @Test("an empty src is confd's \"empty src template\"; dest is required")
    func requiredFields() {
        #expect(throws: TemplateResourceError.missingField(origin: "r.toml", key: "src")) {
            try resource("dest = \"/tmp/a\"\n")
        }
        #expect(throws: TemplateResourceError.missingField(origin: "r.toml", key: "dest")) {
            try resource("src = \"a\"\n")
        }
        #expect(throws: TemplateResourceError.missingTemplateTable(origin: "r.toml")) {
            try TemplateResource.parse(Array("src = \"a\"\n".utf8), origin: "r.toml")
        }
        #expect(TemplateResourceError.missingField(origin: "r", key: "src").description
            .contains("empty src template"))
    }

    @Test("wrong types are named with the key")
    func wrongTypes() {
        #expect(throws: TemplateResourceError.invalidField(
            origin: "r.toml", key: "keys", reason: "expected an array of strings, found a string"))
        {
            try resource(minimal + "keys = \"/nginx\"\n")
        }
    }

    @Test("owner/group and unknown keys load with warnings (confd ignores them silently)")
    func warnings() throws {
        let loaded = try resource(minimal + "owner = \"haproxy\"\ngroup = \"haproxy\"\nsorce = 1\n")
        #expect(loaded.warnings.count == 3)
        #expect(loaded.warnings.contains { $0.contains("'owner' is ignored") })
        #expect(loaded.warnings.contains { $0.contains("unknown key 'sorce'") })
    }

    @Test("a TOML syntax error carries the file and line")
    func syntax() {
        do {
            _ = try resource(minimal + "keys = [\"/a\" \"/b\"]\n")
            Issue.record("parsed")
        } catch {
            guard case .syntax(let origin, let toml) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(origin == "r.toml")
            #expect(toml.line == 4)
        }
    }

    @Test(
        "check_cmd substitutes {{.src}} (any spacing, trim markers) and {{.dest}} (§1.4)",
        arguments: [
            ("nginx -t -c {{.src}}", "nginx -t -c /d/.f1"),
            ("nginx -t -c {{ .src }}", "nginx -t -c /d/.f1"),
            ("cmp {{.src}} {{.dest}}", "cmp /d/.f1 /d/f"),
            ("x   {{- .src -}}   y", "x/d/.f1y"),
            ("plain", "plain"),
        ])
    func checkCommand(text: String, expected: String) throws {
        let check = try CheckCommandTemplate(text)
        #expect(check.command(stagePath: "/d/.f1", destinationPath: "/d/f") == expected)
    }

    @Test("check_cmd with other template actions is refused at load time")
    func checkCommandErrors() {
        #expect(throws: CheckCommandTemplate.SyntaxError.self) {
            try CheckCommandTemplate("run {{.source}}")
        }
        #expect(throws: CheckCommandTemplate.SyntaxError.self) {
            try CheckCommandTemplate("run {{.src")
        }
        #expect(throws: TemplateResourceError.self) {
            try resource(minimal + "check_cmd = \"t {{getv \\\"/x\\\"}}\"\n")
        }
    }
}
