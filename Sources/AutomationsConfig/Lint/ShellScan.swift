/// Finds the few shell shapes the warnings are about in a command's text, without running or fully parsing it.
///
/// Offsets count Unicode scalars from the start of the text (diagnostic columns count them too). The scan knows
/// quotes only as far as the rules need: a word must start where a command can start, so `echo "sleep 5"` or
/// `./workspace` never match.
struct ShellScan {
    let scalars: [Unicode.Scalar]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Whether `needle` (ASCII) occurs in `text`: a byte search, far cheaper than `String.contains` on every command
    /// of a 10,000-task file.
    static func mayContain(_ text: String, _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return true }
        let utf8 = text.utf8
        var index = utf8.startIndex
        while let found = utf8[index...].firstIndex(of: first) {
            if utf8[found...].starts(with: pattern) { return true }
            index = utf8.index(after: found)
        }
        return false
    }

    /// A `sleep N` command: its duration in seconds and where the word `sleep` starts.
    struct Sleep: Equatable {
        var seconds: Double
        var written: String
        var offset: Int
    }

    /// The first command, when it is `sleep N` (comments and blank lines before it skipped); `onlyCommand` when
    /// nothing follows it.
    func leadingSleep() -> (sleep: Sleep, onlyCommand: Bool)? {
        var index = skipBlankAndComments(from: 0)
        guard let sleep = sleep(at: index) else { return nil }
        index = sleep.end
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        if index < scalars.count, scalars[index] == "#" { index = lineEnd(from: index) }
        guard index == scalars.count || isSeparator(at: index) else { return nil }
        while index < scalars.count, isSeparator(at: index) || scalars[index].properties.isWhitespace { index += 1 }
        index = skipBlankAndComments(from: index)
        return (sleep.sleep, index >= scalars.count)
    }

    /// Every `sleep N` at a command position, in order.
    func sleeps() -> [Sleep] {
        commandStarts().compactMap { sleep(at: $0)?.sleep }
    }

    /// Every absolute `/workspace` or `/workspaces/…` path: the path as written and where it starts.
    func workspacePaths() -> [(path: String, offset: Int)] {
        let needle = Array("/workspace".unicodeScalars)
        var found: [(String, Int)] = []
        var index = 0
        while index + needle.count <= scalars.count {
            defer { index += 1 }
            guard Array(scalars[index..<index + needle.count]) == needle else { continue }
            if index > 0 {
                let before = scalars[index - 1]
                if isWordScalar(before) || ".~$}/-".unicodeScalars.contains(before) { continue }
            }
            var end = index + needle.count
            if end < scalars.count, scalars[end] == "s" { end += 1 }
            if end < scalars.count, isWordScalar(scalars[end]) { continue }
            while end < scalars.count, isPathScalar(scalars[end]) { end += 1 }
            found.append((String(String.UnicodeScalarView(scalars[index..<end])), index))
            index = end - 1
        }
        return found
    }

    /// `gitpod|ona|gp automations service start NAME…`: the program, the words after `start` (flags left out) and
    /// where the command starts.
    func cliServiceStarts() -> [(program: String, references: [(name: String, offset: Int)], offset: Int)] {
        var found: [(program: String, references: [(name: String, offset: Int)], offset: Int)] = []
        for start in commandStarts() {
            var words = self.words(from: start)
            guard words.count >= 4, ["gitpod", "ona", "gp"].contains(words[0].text),
                words[1].text == "automations", words[2].text == "service", words[3].text == "start"
            else { continue }
            let program = words[0].text
            words.removeFirst(4)
            let references = words.filter { !$0.text.hasPrefix("-") }.map { (name: $0.text, offset: $0.offset) }
            found.append((program, references, start))
        }
        return found
    }

    /// The last command, when it is sent to the background with a single `&`: its text (without the `&`) and where
    /// it starts.
    func backgroundedLastCommand() -> (command: String, offset: Int)? {
        var end = scalars.count
        while true {
            let start = lineStart(before: end)
            if let line = trimmedLine(start..<end) {
                let last = line.upperBound
                guard scalars[last] == "&", last == 0 || (scalars[last - 1] != "&" && scalars[last - 1] != ">")
                else { return nil }
                var commandEnd = last
                while commandEnd > line.lowerBound, scalars[commandEnd - 1].properties.isWhitespace { commandEnd -= 1 }
                guard commandEnd > line.lowerBound else { return nil }
                return (String(String.UnicodeScalarView(scalars[line.lowerBound..<commandEnd])), line.lowerBound)
            }
            if start == 0 { return nil }
            end = start - 1
        }
    }

    /// The line and column (both from 0) of an offset.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 0
        var column = 0
        for scalar in scalars[..<min(offset, scalars.count)] {
            if scalar == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    // MARK: - Pieces

    /// Where commands can start: the text's start, after a newline, `;`, `&`, `|`, `(`, `{`, or after `then`, `do`,
    /// `else`, `exec`, `time`, `nohup` and `!` (outside quotes and comments).
    private func commandStarts() -> [Int] {
        var starts: [Int] = []
        var atCommand = true
        var quote: Unicode.Scalar?
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == "\\" && open == "\"" {
                    index += 2
                    continue
                }
                if scalar == open { quote = nil }
                index += 1
                continue
            }
            switch scalar {
            case " ", "\t":
                index += 1
            case "\n", ";", "&", "|", "(", "{", "!":
                atCommand = true
                index += 1
            case "#" where atCommand || index == 0 || scalars[index - 1].properties.isWhitespace:
                index = lineEnd(from: index)
            case "'", "\"", "`":
                quote = scalar
                atCommand = false
                index += 1
            case "\\":
                atCommand = false
                index += 2
            default:
                let wordEnd = self.wordEnd(from: index)
                let word = String(String.UnicodeScalarView(scalars[index..<wordEnd]))
                if atCommand { starts.append(index) }
                atCommand = atCommand && ["then", "do", "else", "exec", "time", "nohup", "sudo"].contains(word)
                index = max(wordEnd, index + 1)
            }
        }
        return starts
    }

    /// `sleep N` at `index`: the duration (a number with an optional s/m/h/d unit) and the end of its argument.
    private func sleep(at index: Int) -> (sleep: Sleep, end: Int)? {
        let word = Array("sleep".unicodeScalars)
        guard index + word.count < scalars.count, Array(scalars[index..<index + word.count]) == word,
            scalars[index + word.count] == " " || scalars[index + word.count] == "\t"
        else { return nil }
        var start = index + word.count
        while start < scalars.count, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        let end = wordEnd(from: start)
        let argument = String(String.UnicodeScalarView(scalars[start..<end]))
        guard let seconds = Self.seconds(argument), seconds > 0 else { return nil }
        return (Sleep(seconds: seconds, written: argument, offset: index), end)
    }

    /// GNU sleep's argument: a number and an optional unit.
    static func seconds(_ argument: String) -> Double? {
        var number = Substring(argument)
        var factor = 1.0
        switch number.last {
        case "s": number.removeLast()
        case "m":
            number.removeLast()
            factor = 60
        case "h":
            number.removeLast()
            factor = 3600
        case "d":
            number.removeLast()
            factor = 86400
        default: break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number)
        else { return nil }
        return value * factor
    }

    /// The words of one command from `index`, until a separator; quotes are removed from a word.
    private func words(from index: Int) -> [(text: String, offset: Int)] {
        var words: [(text: String, offset: Int)] = []
        var index = index
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" {
                index += 1
                continue
            }
            if isSeparator(at: index) || scalar == "\n" || scalar == "#" || scalar == ")" || scalar == "}" { break }
            let end = wordEnd(from: index)
            let text = String(String.UnicodeScalarView(scalars[index..<end].filter { $0 != "'" && $0 != "\"" }))
            words.append((text, index))
            index = max(end, index + 1)
        }
        return words
    }

    /// The end of the word starting at `index` (quotes kept together).
    private func wordEnd(from index: Int) -> Int {
        var end = index
        var quote: Unicode.Scalar?
        while end < scalars.count {
            let scalar = scalars[end]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "'" || scalar == "\"" {
                quote = scalar
            } else if scalar.properties.isWhitespace || ";&|()<>{}".unicodeScalars.contains(scalar) {
                break
            }
            end += 1
        }
        return end
    }

    private func isSeparator(at index: Int) -> Bool {
        ";&|\n".unicodeScalars.contains(scalars[index])
    }

    private func skipBlankAndComments(from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            if scalars[index].properties.isWhitespace {
                index += 1
            } else if scalars[index] == "#" {
                index = lineEnd(from: index)
            } else {
                break
            }
        }
        return index
    }

    private func lineEnd(from index: Int) -> Int {
        var end = index
        while end < scalars.count, scalars[end] != "\n" { end += 1 }
        return end
    }

    private func lineStart(before end: Int) -> Int {
        var start = end
        while start > 0, scalars[start - 1] != "\n" { start -= 1 }
        return start
    }

    /// The offsets of a line without its surrounding whitespace and its trailing comment (a `#` after a space).
    private func trimmedLine(_ range: Range<Int>) -> ClosedRange<Int>? {
        var end = range.upperBound
        var quote: Unicode.Scalar?
        for index in range {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "'" || scalar == "\"" {
                quote = scalar
            } else if scalar == "#", index == range.lowerBound || scalars[index - 1].properties.isWhitespace {
                end = index
                break
            }
        }
        var start = range.lowerBound
        while start < end, scalars[start].properties.isWhitespace { start += 1 }
        while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        return start < end ? start...(end - 1) : nil
    }

    private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
    }

    private func isPathScalar(_ scalar: Unicode.Scalar) -> Bool {
        isWordScalar(scalar) || "/.-+@%".unicodeScalars.contains(scalar)
    }
}
