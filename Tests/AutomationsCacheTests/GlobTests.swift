import AutomationsCache
import Testing

struct GlobTests {
    @Test func starsStayInASegmentAndDoubleStarsCrossThem() {
        #expect(Glob("src/**").matches("src/a/b/c.swift"))
        #expect(Glob("src/**").matches("src/a"))
        #expect(!Glob("src/**").matches("srcx/a"))
        #expect(Glob("src/*.c").matches("src/main.c"))
        #expect(!Glob("src/*.c").matches("src/sub/main.c"))
        #expect(Glob("**/*.lock").matches("a/b/yarn.lock") && Glob("**/*.lock").matches("yarn.lock"))
        #expect(Glob("file?.txt").matches("file1.txt") && !Glob("file?.txt").matches("file10.txt"))
        #expect(Glob("package-lock.json").matches("package-lock.json"))
        #expect(Glob("a/**/z").matches("a/z") && Glob("a/**/z").matches("a/b/c/z") && !Glob("a/**/z").matches("a/b/y"))
        #expect(Glob("src/**/*.ts").literalPrefix == "src")
    }
}
