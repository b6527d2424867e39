import ArgumentParser
import AutomationsReports

/// `--color auto|always|never` on the command line (the reports' ``ColorChoice``).
enum ColorMode: String, CaseIterable, ExpressibleByArgument {
    case auto
    case always
    case never

    var choice: ColorChoice { ColorChoice(rawValue: rawValue)! }
}
