import AutomationsModel
import Testing

struct SuggestionAndJSONTests {
    @Test func suggestions() {
        #expect(Suggestion.closest(to: "comand", in: ["name", "command"]) == "command")
        #expect(Suggestion.closest(to: "dependson", in: ["dependsOn", "description"]) == "dependsOn")
        #expect(Suggestion.closest(to: "tset", in: ["test", "build"]) == "test")
        #expect(Suggestion.closest(to: "readyness", in: ["start", "ready", "stop"]) == "ready")
        #expect(Suggestion.closest(to: "xyz", in: ["command", "name"]) == nil)
    }

    @Test func jsonKeepsKeyOrderAndEscapes() {
        let value: JSONValue = .object([("b", 1), ("a", .string("q\"\\\n\u{1B}")), ("c", [true, .null])])
        #expect(value.serialized() == #"{"b":1,"a":"q\"\\\n\u001b","c":[true,null]}"#)
    }
}
