import AutomationsConfig
import AutomationsModel
import Testing

/// FileLint on its own: each rule fires where it should, at the place the user must edit, and stays silent on the
/// shapes that look alike but are fine.
struct FileLintTests {
    /// The warnings of an inline file, as `code@line:column`.
    private func warnings(_ text: String) -> [String] {
        let checked = AutomationsConfigLoader.check(Array(text.utf8), displayPath: "automations.yaml")
        #expect(checked.errors.isEmpty, "the file must be valid: \(checked.errors)")
        return checked.warnings.map { warning in
            "\(warning.code ?? "?")@\(warning.location?.line ?? 0):\(warning.location?.column ?? 0)"
        }
    }

    @Test func aProbeThatOnlySleepsOrSleepsFirstIsFlaggedAtTheSleep() {
        let text = """
            services:
              db:
                name: db
                commands:
                  start: exec postgres
                  ready: sleep 5
              web:
                name: web
                commands:
                  start: exec web
                  ready: sleep 1 && curl -fsS localhost:8080
            """
        #expect(warnings(text) == ["AU001@6:14", "AU001@11:14"])
    }

    @Test func aProbeThatChecksAndOnlyLaterSleepsIsFine() {
        let text = """
            services:
              web:
                name: web
                commands:
                  start: exec web
                  ready: curl -fsS localhost:8080 || { sleep 1; false; }
            """
        #expect(warnings(text).isEmpty)
    }

    @Test func aReadinessTimeoutNoLongerThanTheSleepIsFlaggedAtTheTimeout() {
        let text = """
            services:
              db:
                name: db
                readinessTimeout: 2s
                commands:
                  start: exec postgres
                  ready: sleep 3; pg_isready
            """
        #expect(warnings(text) == ["AU006@4:23", "AU001@7:14"])
    }

    @Test func workspacePathsAreFlaggedOncePerPathAndNotInsideOtherWords() {
        let text = """
            tasks:
              build:
                name: build
                command: cd /workspace/app && make -C /workspace/app; echo my/workspaces-notes
            """
        #expect(warnings(text) == ["AU002@4:17"])
    }

    @Test func aTaskStartingAServiceThroughTheCLIMustDependOnIt() {
        let text = """
            services:
              db:
                name: db
                commands:
                  start: exec postgres
            tasks:
              migrate:
                name: migrate
                command: gitpod automations service start db && ./migrate
              seed:
                name: seed
                dependsOn: [db]
                command: gitpod automations service start db && ./seed
            """
        #expect(warnings(text) == ["AU003@9:14"])
    }

    @Test func aBackgroundedStartIsFlaggedButAnAmpersandInsideQuotesIsNot() {
        let backgrounded = """
            services:
              web:
                name: web
                commands:
                  start: python -m http.server 8080 &
            """
        #expect(warnings(backgrounded) == ["AU004@5:14"])
        let quoted = """
            services:
              web:
                name: web
                commands:
                  start: exec sh -c 'echo a & wait'
            """
        #expect(warnings(quoted).isEmpty)
    }

    @Test func aPlainCommandOverSeveralLinesIsFoldedButABlockScalarIsNot() {
        let folded = """
            tasks:
              test:
                name: test
                command: make build
                  make test
            """
        #expect(warnings(folded) == ["AU005@4:14"])
        let block = """
            tasks:
              test:
                name: test
                command: |
                  make build
                  make test
            """
        #expect(warnings(block).isEmpty)
    }
}
