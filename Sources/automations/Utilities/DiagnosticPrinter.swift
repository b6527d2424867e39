import AutomationsModel
import AutomationsReports

/// Prints diagnostics to standard error the way compilers do, with colour on a terminal.
struct DiagnosticPrinter {
    var console = TerminalOutput.standardError
    var colorMode: ColorChoice = .auto

    func print(_ diagnostics: [Diagnostic]) {
        let color = console.usesColor(colorMode)
        var text = ""
        for diagnostic in diagnostics {
            let place = diagnostic.location.map { "\($0): " } ?? diagnostic.file.map { "\($0): " } ?? ""
            let severity = diagnostic.severity.rawValue + ":"
            let styledSeverity =
                diagnostic.severity == .error
                ? ANSIStyle.boldRed.apply(severity, if: color)
                : ANSIStyle.boldYellow.apply(severity, if: color)
            text +=
                ANSIStyle.bold.apply(place, if: color) + styledSeverity + " " + diagnostic.message
                + (diagnostic.code.map { " [\($0)]" } ?? "") + "\n"
        }
        console.write(text)
    }
}
