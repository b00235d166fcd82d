/// Go's reference-time layouts (`time.Format`): "Mon Jan 2 15:04:05 MST 2006" spelled with the
/// reference values stands for the corresponding field (Go `time/format.go` `nextStdChunk`).
extension TemplateTime {
    /// Formats the time with a Go layout string.
    public func format(_ layout: String) -> String {
        let bytes = Array(layout.utf8)
        let fields = civil
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 10)
        var index = 0
        while index < bytes.count {
            if let (chunk, length) = TemplateTime.layoutChunk(bytes, at: index) {
                append(chunk, fields: fields, to: &output)
                index += length
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    enum LayoutChunk: Equatable {
        case longMonth, month, numMonth, zeroMonth
        case longWeekDay, weekDay
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year
        case pm(upper: Bool)
        case zoneName
        case offset(z: Bool, colon: Bool, seconds: Bool, hoursOnly: Bool)
        case fraction(digits: Int, trim: Bool, separator: UInt8)
    }

    /// The chunk starting at `index` and its length in bytes, if one starts there.
    static func layoutChunk(_ b: [UInt8], at index: Int) -> (LayoutChunk, Int)? {
        func has(_ text: String) -> Bool {
            let t = Array(text.utf8)
            return index + t.count <= b.count && Array(b[index..<(index + t.count)]) == t
        }
        switch b[index] {
        case UInt8(ascii: "J"):
            if has("January") { return (.longMonth, 7) }
            if has("Jan") { return (.month, 3) }
        case UInt8(ascii: "M"):
            if has("Monday") { return (.longWeekDay, 6) }
            if has("Mon") { return (.weekDay, 3) }
            if has("MST") { return (.zoneName, 3) }
        case UInt8(ascii: "0"):
            if has("002") { return (.zeroYearDay, 3) }
            let zeros: [UInt8: LayoutChunk] = [
                UInt8(ascii: "1"): .zeroMonth, UInt8(ascii: "2"): .zeroDay,
                UInt8(ascii: "3"): .zeroHour12, UInt8(ascii: "4"): .zeroMinute,
                UInt8(ascii: "5"): .zeroSecond, UInt8(ascii: "6"): .year,
            ]
            if index + 1 < b.count, let chunk = zeros[b[index + 1]] { return (chunk, 2) }
        case UInt8(ascii: "1"):
            if has("15") { return (.hour, 2) }
            return (.numMonth, 1)
        case UInt8(ascii: "2"):
            if has("2006") { return (.longYear, 4) }
            return (.day, 1)
        case UInt8(ascii: "_"):
            if has("_2006") { return nil }  // "_" then a year, as Go reads it
            if has("__2") { return (.underYearDay, 3) }
            if has("_2") { return (.underDay, 2) }
        case UInt8(ascii: "3"): return (.hour12, 1)
        case UInt8(ascii: "4"): return (.minute, 1)
        case UInt8(ascii: "5"): return (.second, 1)
        case UInt8(ascii: "P"): if has("PM") { return (.pm(upper: true), 2) }
        case UInt8(ascii: "p"): if has("pm") { return (.pm(upper: false), 2) }
        case UInt8(ascii: "-"), UInt8(ascii: "Z"):
            return offsetChunk(b, at: index, z: b[index] == UInt8(ascii: "Z"))
        case UInt8(ascii: "."), UInt8(ascii: ","):
            return fractionChunk(b, at: index)
        default: break
        }
        return nil
    }

    private static func offsetChunk(_ b: [UInt8], at index: Int, z: Bool) -> (LayoutChunk, Int)? {
        let forms: [(String, Bool, Bool, Bool)] = [
            ("070000", false, true, false), ("07:00:00", true, true, false),
            ("0700", false, false, false), ("07:00", true, false, false),
            ("07", false, false, true),
        ]
        for (text, colon, seconds, hoursOnly) in forms {
            let t = Array(text.utf8)
            let start = index + 1
            if start + t.count <= b.count && Array(b[start..<(start + t.count)]) == t {
                return (
                    .offset(z: z, colon: colon, seconds: seconds, hoursOnly: hoursOnly),
                    t.count + 1
                )
            }
        }
        return nil
    }

    private static func fractionChunk(_ b: [UInt8], at index: Int) -> (LayoutChunk, Int)? {
        guard index + 1 < b.count else { return nil }
        let digit = b[index + 1]
        guard digit == UInt8(ascii: "0") || digit == UInt8(ascii: "9") else { return nil }
        var end = index + 1
        while end < b.count && b[end] == digit { end += 1 }
        // Go: only a fraction if no further digit follows the run.
        if end < b.count && b[end] >= UInt8(ascii: "0") && b[end] <= UInt8(ascii: "9") {
            return nil
        }
        let digits = min(end - index - 1, 9)
        return (
            .fraction(digits: digits, trim: digit == UInt8(ascii: "9"), separator: b[index]),
            end - index
        )
    }

    private func append(_ chunk: LayoutChunk, fields f: Civil, to out: inout [UInt8]) {
        func number(_ value: Int, width: Int, pad: UInt8 = UInt8(ascii: "0")) {
            var digits = Array(String(abs(value)).utf8)
            while digits.count < width { digits.insert(pad, at: 0) }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: digits)
        }
        func text(_ s: String) { out.append(contentsOf: Array(s.utf8)) }
        let hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12
        switch chunk {
        case .longMonth: text(TemplateTime.monthNames[f.month - 1])
        case .month: text(String(TemplateTime.monthNames[f.month - 1].prefix(3)))
        case .numMonth: number(f.month, width: 0)
        case .zeroMonth: number(f.month, width: 2)
        case .longWeekDay: text(TemplateTime.dayNames[f.weekday])
        case .weekDay: text(String(TemplateTime.dayNames[f.weekday].prefix(3)))
        case .day: number(f.day, width: 0)
        case .underDay: number(f.day, width: 2, pad: UInt8(ascii: " "))
        case .zeroDay: number(f.day, width: 2)
        case .underYearDay: number(f.yearDay, width: 3, pad: UInt8(ascii: " "))
        case .zeroYearDay: number(f.yearDay, width: 3)
        case .hour: number(f.hour, width: 2)
        case .hour12: number(hour12, width: 0)
        case .zeroHour12: number(hour12, width: 2)
        case .minute: number(f.minute, width: 0)
        case .zeroMinute: number(f.minute, width: 2)
        case .second: number(f.second, width: 0)
        case .zeroSecond: number(f.second, width: 2)
        case .longYear: number(f.year, width: 4)
        case .year: number(f.year % 100, width: 2)
        case .pm(let upper): text(f.hour >= 12 ? (upper ? "PM" : "pm") : (upper ? "AM" : "am"))
        case .zoneName: appendZoneName(to: &out)
        case .offset(let z, let colon, let seconds, let hoursOnly):
            appendOffset(z: z, colon: colon, seconds: seconds, hoursOnly: hoursOnly, to: &out)
        case .fraction(let digits, let trim, let separator):
            appendFraction(digits: digits, trim: trim, separator: separator, to: &out)
        }
    }

    private func appendZoneName(to out: inout [UInt8]) {
        if !zoneName.isEmpty {
            out.append(contentsOf: Array(zoneName.utf8))
            return
        }
        let minutes = abs(utcOffsetSeconds) / 60
        out.append(utcOffsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        out.append(contentsOf: Array(twoDigits(minutes / 60).utf8))
        out.append(contentsOf: Array(twoDigits(minutes % 60).utf8))
    }

    private func appendOffset(
        z: Bool, colon: Bool, seconds: Bool, hoursOnly: Bool, to out: inout [UInt8]
    ) {
        if z && utcOffsetSeconds == 0 {
            out.append(UInt8(ascii: "Z"))
            return
        }
        let total = abs(utcOffsetSeconds)
        var text = utcOffsetSeconds < 0 ? "-" : "+"
        text += twoDigits(total / 3600)
        if !hoursOnly {
            if colon { text += ":" }
            text += twoDigits(total / 60 % 60)
        }
        if seconds {
            if colon { text += ":" }
            text += twoDigits(total % 60)
        }
        out.append(contentsOf: Array(text.utf8))
    }

    private func appendFraction(digits: Int, trim: Bool, separator: UInt8, to out: inout [UInt8]) {
        var fraction = Array(String(nanoseconds).utf8)
        while fraction.count < 9 { fraction.insert(UInt8(ascii: "0"), at: 0) }
        var kept = Array(fraction.prefix(digits))
        if trim {
            while let last = kept.last, last == UInt8(ascii: "0") { kept.removeLast() }
            if kept.isEmpty { return }
        }
        out.append(separator)
        out.append(contentsOf: kept)
    }

    private func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
