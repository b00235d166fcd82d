import Platform
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test(
        "int64Value reads integral numbers and numeric strings (protobuf JSON mapping)",
        arguments: [
            (JSONValue.number("123"), Int64?.some(123)), (.string("123"), 123),
            (.number("-9223372036854775808"), .min), (.string("9223372036854775807"), .max),
            (.number("9223372036854775808"), nil), (.number("-9223372036854775809"), nil),
            (.number("1e3"), 1000), (.number("1.0"), 1), (.number("120e-1"), 12),
            (.number("1.5"), nil), (.number("12e-1"), nil), (.number("-0"), 0),
            (.number("0.000e5"), 0), (.string("abc"), nil), (.string(" 1"), nil),
            (.string(""), nil), (.string("01"), nil), (.bool(true), nil), (.null, nil),
            (.number("1e400"), nil), (.number("1e-400"), nil),
        ])
    func int64Value(value: JSONValue, expected: Int64?) {
        #expect(value.int64Value == expected)
    }

    @Test("uint64Value covers the whole unsigned range and rejects negatives")
    func uint64Value() {
        #expect(JSONValue.number("18446744073709551615").uint64Value == .max)
        #expect(JSONValue.string("18446744073709551615").uint64Value == .max)
        #expect(JSONValue.number("18446744073709551616").uint64Value == nil)
        #expect(JSONValue.number("-1").uint64Value == nil)
        #expect(JSONValue.number("-0").uint64Value == 0)
    }

    @Test(
        "doubleValue reads numbers, numeric strings, NaN and Infinity (protobuf JSON mapping)"
    )
    func doubleValue() {
        #expect(JSONValue.number("1.5").doubleValue == 1.5)
        #expect(JSONValue.string("-2.5e2").doubleValue == -250)
        #expect(JSONValue.string("Infinity").doubleValue == .infinity)
        #expect(JSONValue.string("-Infinity").doubleValue == -.infinity)
        #expect(JSONValue.string("NaN").doubleValue?.isNaN == true)
        #expect(JSONValue.string("1.5x").doubleValue == nil)
        #expect(JSONValue.bool(true).doubleValue == nil)
    }

    @Test(
        "accessors give nil for other kinds; subscript gives the first duplicate (RFC 8259 §4)")
    func accessors() {
        let object = JSONValue.object(JSONObject([("k", "first"), ("k", "second"), ("n", 1)]))
        #expect(object["k"] == "first")
        #expect(object["missing"] == nil)
        #expect(JSONValue.array([1])["k"] == nil)
        #expect(object.objectValue?.keys == ["k", "k", "n"])
        #expect(JSONValue.string("s").stringValue == "s")
        #expect(JSONValue.number("1").stringValue == nil)
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.array([true]).arrayValue == [true])
        #expect(JSONValue.null.isNull)
    }

    @Test("objects compare members in order, duplicates included")
    func objectEquality() {
        #expect(JSONObject([("a", 1), ("b", 2)]) != JSONObject([("b", 2), ("a", 1)]))
        #expect(JSONObject([("a", 1)]) != JSONObject([("a", 1), ("a", 1)]))
        #expect(JSONObject([("a", 1)]) == ["a": 1])
    }

    @Test("description is compact JSON")
    func description() {
        let value: JSONValue = ["a": [1, "x", nil, true], "b": [:]]
        #expect(value.description == "{\"a\":[1,\"x\",null,true],\"b\":{}}")
    }
}
