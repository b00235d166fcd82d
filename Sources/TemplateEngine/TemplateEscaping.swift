import Platform

/// Go's `HTMLEscapeString`, `JSEscapeString` and `url.QueryEscape`.
enum TemplateEscaping {
    static func html(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\0": output += "\u{FFFD}"
            case "\"": output += "&#34;"
            case "'": output += "&#39;"
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    static func javaScript(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "'": output += "\\'"
            case "\"": output += "\\\""
            case "<": output += "\\u003C"
            case ">": output += "\\u003E"
            case "&": output += "\\u0026"
            case "=": output += "\\u003D"
            default:
                if scalar.value < 0x20 {
                    output += "\\u00" + GoQuote.hex(Int(scalar.value), width: 2).uppercased()
                } else if scalar.value >= 0x80 && !GoQuote.isPrint(scalar) {
                    output += "\\u" + GoQuote.hex(Int(scalar.value), width: 4).uppercased()
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    static func queryEscape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                output += "%" + GoQuote.hex(Int(byte), width: 2).uppercased()
            }
        }
        return output
    }
}
