import Testing

@testable import AutomationsReports

/// The HTML report speaks the console's words, and its time axis reads in round values.
struct HTMLReportWordsTests {
    @Test func theAxisHasRoundTicks() {
        let labels = { (wall: Double) in HTMLReport.ticks(wall).map(HTMLReport.tickLabel) }
        #expect(labels(0.83) == ["0", "0.2", "0.4", "0.6", "0.8"])  // was 0.21 / 0.42 / 0.62
        #expect(labels(1.83) == ["0", "0.5", "1", "1.5"])
        #expect(labels(5.52) == ["0", "2", "4"])
        #expect(labels(120) == ["0", "50", "100"])
        #expect(HTMLReport.ticks(0.046).count == 5)
        #expect(HTMLReport.tickLabel(0.2) == "0.2" && HTMLReport.tickLabel(2) == "2" && HTMLReport.tickLabel(0) == "0")
    }

    @Test func notRunAndServicesAreNamedAsTheConsoleNamesThem() {
        var deploy = RunReportTests.step("deploy", outcome: "skipped")
        deploy.startedAt = nil
        deploy.completedAt = nil
        deploy.innerTests = nil
        var db = RunReportTests.step("db", kind: "service")
        db.innerTests = nil
        var report = RunReportTests.report(steps: [db, deploy])
        report.services[0].phase = "SERVICE_PHASE_STOPPED"
        let html = HTMLReport.html(report)
        #expect(html.contains("1 not run"))
        #expect(!html.contains("1 skipped"))
        #expect(html.contains("<code>deploy</code> task, not run"))
        #expect(html.contains("<code>db</code> service, ready, then stopped, 1.500 s"))
        #expect(html.contains("title=\"db: ready, then stopped, 1.500 s\""))
    }
}
