import AutomationsModel

/// Prints diagnostics to standard error the way compilers do, with colour on a terminal.
struct DiagnosticPrinter {
    var console = Console.standardError
    var colorMode: ColorMode = .auto

    func print(_ diagnostics: [Diagnostic]) {
        let color = console.usesColor(colorMode)
        var text = ""
        for diagnostic in diagnostics {
            let place = diagnostic.location.map { "\($0): " } ?? diagnostic.file.map { "\($0): " } ?? ""
            let severity = diagnostic.severity.rawValue + ":"
            let styledSeverity =
                diagnostic.severity == .error
                ? TextStyle.boldRed.apply(severity, enabled: color)
                : TextStyle.boldYellow.apply(severity, enabled: color)
            text += TextStyle.bold.apply(place, enabled: color) + styledSeverity + " " + diagnostic.message + "\n"
        }
        console.write(text)
    }
}
