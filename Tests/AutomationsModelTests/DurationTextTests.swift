import AutomationsModel
import Testing

struct DurationTextTests {
    @Test func protoJSONDurations() {
        #expect(DurationText.parseProtoJSON("90s") == .seconds(90))
        #expect(DurationText.parseProtoJSON("1.5s") == .milliseconds(1500))
        #expect(DurationText.parseProtoJSON("0.000000001s") == .nanoseconds(1))
        #expect(DurationText.parseProtoJSON("0s") == .zero)
        for bad in ["30", "5m", "-1s", "1.s", ".5s", "s", "", "1.0000000001s", "1e3s", " 1s"] {
            #expect(DurationText.parseProtoJSON(bad) == nil, "\(bad)")
        }
        #expect(DurationText.secondsForProtoJSON(.milliseconds(1500)) == "1.5s")
        #expect(DurationText.secondsForProtoJSON(.seconds(300)) == "300s")
    }

    @Test func durationsWithUnits() {
        #expect(DurationText.parseWithUnits("250ms") == .milliseconds(250))
        #expect(DurationText.parseWithUnits("30s") == .seconds(30))
        #expect(DurationText.parseWithUnits("2m") == .seconds(120))
        #expect(DurationText.parseWithUnits("1m30s") == .seconds(90))
        #expect(DurationText.parseWithUnits("1.5h") == .seconds(5400))
        #expect(DurationText.parseWithUnits("0") == .zero)
        for bad in ["", "10", "1x", "m", "1m30", "-1s", "1..5s"] {
            #expect(DurationText.parseWithUnits(bad) == nil, "\(bad)")
        }
    }

    @Test func printing() {
        #expect(DurationText.seconds(.milliseconds(1500)) == "1.500")
        #expect(DurationText.seconds(.milliseconds(8595_004)) == "8595.004")
        #expect(DurationText.human(.milliseconds(850)) == "850ms")
        #expect(DurationText.human(.milliseconds(12_345)) == "12.3s")
        #expect(DurationText.human(.seconds(125)) == "2m05s")
    }
}
