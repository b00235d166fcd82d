/// A wall-clock instant with its zone, the value `datetime` returns (Go `time.Time`).
/// Civil fields are derived from the Unix time plus the zone offset; no clock is read here.
public struct TemplateTime: Sendable, Equatable {
    public var unixSeconds: Int64
    /// 0 ..< 1_000_000_000.
    public var nanoseconds: Int
    /// Seconds east of UTC.
    public var utcOffsetSeconds: Int
    /// Zone abbreviation such as `UTC` or `CET`; empty prints the numeric offset (Go).
    public var zoneName: String

    public init(unixSeconds: Int64, nanoseconds: Int, utcOffsetSeconds: Int, zoneName: String) {
        precondition((0..<1_000_000_000).contains(nanoseconds), "nanoseconds out of range")
        self.unixSeconds = unixSeconds
        self.nanoseconds = nanoseconds
        self.utcOffsetSeconds = utcOffsetSeconds
        self.zoneName = zoneName
    }

    /// Civil date and time in the value's zone.
    struct Civil {
        var year: Int
        var month: Int  // 1...12
        var day: Int  // 1...31
        var hour: Int
        var minute: Int
        var second: Int
        var weekday: Int  // 0 = Sunday
        var yearDay: Int  // 1...366
    }

    var civil: Civil {
        let local = Int(unixSeconds) + utcOffsetSeconds
        let days = floorDivide(local, 86_400)
        let secondsOfDay = local - days * 86_400
        let (year, month, day) = TemplateTime.civilDate(daysSinceEpoch: days)
        let weekday = ((days % 7) + 7 + 4) % 7
        let yearStart = TemplateTime.daysSinceEpoch(year: year, month: 1, day: 1)
        return Civil(
            year: year, month: month, day: day, hour: secondsOfDay / 3600,
            minute: secondsOfDay / 60 % 60, second: secondsOfDay % 60, weekday: weekday,
            yearDay: days - yearStart + 1)
    }

    private func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// Howard Hinnant's `civil_from_days` (proleptic Gregorian calendar).
    static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Hinnant's `days_from_civil`.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Go's `Time.String()` without the monotonic clock reading:
    /// `2006-01-02 15:04:05.999999999 -0700 MST`.
    public var goString: String {
        format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// The value of a niladic method or one with arguments, as `.Format "layout"` calls it.
    func callMethod(_ name: String, _ arguments: [TemplateValue]) -> MethodResult {
        switch (name, arguments.count) {
        case ("Format", 1):
            guard case .string(let layout) = arguments[0] else {
                return .failure(
                    "wrong type for value; expected string; got "
                        + arguments[0].goTypeName)
            }
            return .value(.string(format(layout)))
        case ("String", 0): return .value(.string(goString))
        case ("Unix", 0): return .value(.int(Int(unixSeconds)))
        case ("UnixNano", 0):
            return .value(.int(Int(unixSeconds) &* 1_000_000_000 &+ nanoseconds))
        case ("Year", 0): return .value(.int(civil.year))
        case ("Month", 0): return .value(.string(TemplateTime.monthNames[civil.month - 1]))
        case ("Day", 0): return .value(.int(civil.day))
        case ("YearDay", 0): return .value(.int(civil.yearDay))
        case ("Weekday", 0): return .value(.string(TemplateTime.dayNames[civil.weekday]))
        case ("Hour", 0): return .value(.int(civil.hour))
        case ("Minute", 0): return .value(.int(civil.minute))
        case ("Second", 0): return .value(.int(civil.second))
        case ("Nanosecond", 0): return .value(.int(nanoseconds))
        case ("UTC", 0):
            return .value(
                .time(
                    TemplateTime(
                        unixSeconds: unixSeconds, nanoseconds: nanoseconds, utcOffsetSeconds: 0,
                        zoneName: "UTC")))
        default:
            if TemplateTime.methodArity[name] != nil {
                let want = TemplateTime.methodArity[name] ?? 0
                return .failure(
                    "wrong number of args for \(name): want \(want) got \(arguments.count)")
            }
            return .notAMethod
        }
    }

    enum MethodResult {
        case value(TemplateValue)
        case failure(String)
        case notAMethod
    }

    static let methodArity: [String: Int] = [
        "Format": 1, "String": 0, "Unix": 0, "UnixNano": 0, "Year": 0, "Month": 0, "Day": 0,
        "YearDay": 0, "Weekday": 0, "Hour": 0, "Minute": 0, "Second": 0, "Nanosecond": 0,
        "UTC": 0,
    ]

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]
    static let dayNames = [
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    ]
}
