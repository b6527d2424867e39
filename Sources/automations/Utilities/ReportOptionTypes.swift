public import ArgumentParser
public import AutomationsModel
package import AutomationsReports

// The reports' enums serve directly as option types: `--color auto|always|never`, `--output prefixed|grouped|quiet`.

extension ColorChoice: ExpressibleByArgument {}

extension ConsoleMode: ExpressibleByArgument {}

extension PlanSchedule: ExpressibleByArgument {}
