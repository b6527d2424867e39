/// Parsing and printing durations as the file and the command line write them.
public enum DurationText {
    /// Parses the protobuf JSON form that `readinessTimeout` uses: seconds with up to nine decimals and an `s`
    /// (`"90s"`, `"1.5s"`). Returns `nil` for anything else, negative values included.
    public static func parseProtoJSON(_ text: String) -> Duration? {
        guard text.hasSuffix("s") else { return nil }
        return parseDecimal(text.dropLast(), scale: 1_000_000_000)
    }

    /// Parses a duration written with units, as on the command line: `250ms`, `30s`, `2m`, `1h`, `1m30s`,
    /// `1.5s`. A bare `0` is zero. Returns `nil` for anything else.
    public static func parseWithUnits(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var total = Duration.zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let nanosecondsPerUnit: Int64
            switch unit {
            case "ns": nanosecondsPerUnit = 1
            case "us": nanosecondsPerUnit = 1_000
            case "ms": nanosecondsPerUnit = 1_000_000
            case "s": nanosecondsPerUnit = 1_000_000_000
            case "m": nanosecondsPerUnit = 60_000_000_000
            case "h": nanosecondsPerUnit = 3_600_000_000_000
            default: return nil
            }
            guard let part = parseDecimal(number, scale: nanosecondsPerUnit) else { return nil }
            total += part
        }
        return total
    }

    /// The protobuf JSON form of a duration: `"90s"`, `"1.5s"`.
    public static func secondsForProtoJSON(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard attoseconds != 0 else { return "\(seconds)s" }
        var fraction = String(attoseconds / 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction)s"
    }

    /// Seconds with three decimals and a dot, as JUnit and people read them: `1.500`.
    public static func seconds(_ duration: Duration) -> String {
        let milliseconds = max(0, duration.milliseconds)
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        let padded = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 3 - padded.count))\(padded)"
    }

    /// A short human form: `850ms`, `12.3s`, `2m05s`, `1h02m`.
    public static func human(_ duration: Duration) -> String {
        let milliseconds = max(0, duration.milliseconds)
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 {
            let tenths = milliseconds / 100
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = milliseconds / 1000
        if seconds < 3600 {
            return "\(seconds / 60)m\(twoDigits(seconds % 60))s"
        }
        return "\(seconds / 3600)h\(twoDigits(seconds % 3600 / 60))m"
    }

    private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Parses `digits[.digits]` and multiplies by `scale` nanoseconds, exactly, without floating point.
    private static func parseDecimal(_ text: Substring, scale: Int64) -> Duration? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.allSatisfy(\.isASCIIDigit),
            wholeText.count <= 12
        else { return nil }
        var fractionText = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 {
            guard !fractionText.isEmpty, fractionText.count <= 9, fractionText.allSatisfy(\.isASCIIDigit) else {
                return nil
            }
        }
        guard let whole = Int64(wholeText) else { return nil }
        let (wholeNanoseconds, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        var fractionNanoseconds: Int64 = 0
        if !fractionText.isEmpty {
            fractionText += String(repeating: "0", count: 9 - fractionText.count)
            guard let nanosOfUnit = Int64(fractionText) else { return nil }
            // nanosOfUnit counts billionths of one unit; every unit of a second or more is a multiple of 1,000 ns,
            // which keeps the product inside Int64.
            fractionNanoseconds =
                scale >= 1_000 ? nanosOfUnit * (scale / 1_000) / 1_000_000 : nanosOfUnit * scale / 1_000_000_000
        }
        return .nanoseconds(wholeNanoseconds + fractionNanoseconds)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Duration {
    /// Whole milliseconds, rounded toward zero.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds, rounded toward zero.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The duration in seconds as a floating-point number.
    public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
