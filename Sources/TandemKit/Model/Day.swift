/// A calendar date without time or zone (`YYYY-MM-DD`), so reports never depend on the build machine's clock or zone.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses strict ISO `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(iso text: String) {
        // The common case, `DDDD-DD-DD` in ASCII digits, without splitting the text.
        var digits: (year: Int, month: Int, day: Int)?
        if text.utf8.count == 10 {
            digits =
                text.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Int, Int)? in
                    func number(_ range: Range<Int>) -> Int? {
                        var value = 0
                        for i in range {
                            let digit = Int(bytes[i]) - 48
                            guard digit >= 0, digit <= 9 else { return nil }
                            value = value * 10 + digit
                        }
                        return value
                    }
                    guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = number(0..<4), let month = number(5..<7),
                        let day = number(8..<10)
                    else { return nil }
                    return (year, month, day)
                } ?? nil
        }
        if let (year, month, day) = digits {
            guard Day.years.contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else {
                return nil
            }
            (self.year, self.month, self.day) = (year, month, day)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), Day.years.contains(year),
            (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// The years a date may have: from 0001 (there is no year 0 in the Gregorian calendar) to 9998, so that the day
    /// after any date (a calendar event's end) still has four digits.
    public static let years = 1...9998

    init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int { other.ordinal - ordinal }

    /// 1 = Monday ... 7 = Sunday.
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 + 1 }

    public var iso: String { String(format4: year) + "-" + String(twoDigits: month) + "-" + String(twoDigits: day) }
    /// `YYYYMMDD`, as calendars want it.
    public var compact: String { String(format4: year) + String(twoDigits: month) + String(twoDigits: day) }
    public var description: String { iso }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    init(twoDigits value: Int) { self.init(value < 10 ? "0\(value)" : "\(value)") }
    init(format4 value: Int) {
        self.init(value < 10 ? "000\(value)" : value < 100 ? "00\(value)" : value < 1000 ? "0\(value)" : "\(value)")
    }
}
