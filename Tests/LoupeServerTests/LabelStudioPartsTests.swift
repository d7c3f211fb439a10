import Foundation
import LoupeLab
import Testing
@testable import LoupeServer

@Suite struct LabelStudioPartsTests {
    /// A region as JSON, and read back as the webhook reads it.
    static func object(_ region: BrushRegion) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(region)) as? [String: Any])
    }

    static func item(_ json: [String: Any]) throws -> ResultItem {
        try JSONDecoder().decode(ResultItem.self, from: JSONSerialization.data(withJSONObject: json))
    }

    static let config = #"""
        <View>
          <!-- the photograph, then the vessels drawn on it -->
          <Image name="photo" value="$image" zoom="true"/>
          <BrushLabels name="vessels" toName="photo">
            <Label value="Vessel &amp; capillary" background="#D4380D"/>
            <Label value="Other"/>
          </BrushLabels>
        </View>
        """#

    @Test func aBrushConfigNamesItsTagImageFieldAndFirstLabel() throws {
        let config = try LabelingConfig(xml: Self.config)
        #expect(config == LabelingConfig(fromName: "vessels", toName: "photo", dataKey: "image", label: "Vessel & capillary"))
    }

    @Test(arguments: [
        (#"<View><Image name="i" value="$image"/><PolygonLabels name="p" toName="i"/></View>"#, "has no <BrushLabels> tag"),
        (#"<View><Image name="i" value="$image"/><BrushLabels toName="i"><Label value="V"/></BrushLabels></View>"#, "needs name and toName"),
        (#"<View><Image name="j" value="$image"/><BrushLabels name="b" toName="i"><Label value="V"/></BrushLabels></View>"#, "no <Image name=\"i\""),
        (#"<View><Image name="i" value="image"/><BrushLabels name="b" toName="i"><Label value="V"/></BrushLabels></View>"#, "no <Image name=\"i\""),
        (#"<View><Image name="i" value="$image"/><BrushLabels name="b" toName="i"></BrushLabels></View>"#, "has no <Label"),
        ("not xml at all", "has no <BrushLabels> tag"),
        (#"<View><Image name="i" value="$image"#, "has no <BrushLabels> tag"),
    ])
    func unusableConfigsSayWhatIsMissing(xml: String, message: String) {
        do {
            _ = try LabelingConfig(xml: xml)
            Issue.record("accepted \(xml)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func aPredictionBecomesOneBrushRegionThatDecodesBackToTheMask() throws {
        let config = try LabelingConfig(xml: Self.config)
        let mask = MaskPixels(width: 5, height: 3, pixels: [0, 255, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 255, 255, 255])
        let sent = try JSONSerialization.jsonObject(with: JSONEncoder().encode(BrushResult.result(mask, config: config, id: "r1"))) as? [String: Any]
        let result = try #require(sent)
        #expect(result["from_name"] as? String == "vessels")
        #expect(result["to_name"] as? String == "photo")
        #expect(result["type"] as? String == "brushlabels")
        #expect(result["original_width"] as? Int == 5)
        #expect((result["value"] as? [String: Any])?["brushlabels"] as? [String] == ["Vessel & capillary"])
        #expect(try BrushResult.mask(from: [try Self.item(result)], config: config, width: 5, height: 3) == mask, "it reads back as Label Studio sends it")
    }

    @Test func regionsAreJoinedOtherTagsIgnoredAndNoRegionIsAnEmptyMask() throws {
        let config = try LabelingConfig(xml: Self.config)
        let a = MaskPixels(width: 2, height: 2, pixels: [255, 0, 0, 0])
        let b = MaskPixels(width: 2, height: 2, pixels: [0, 0, 0, 255])
        var other = try Self.object(BrushResult.result(MaskPixels(width: 2, height: 2, pixels: [0, 255, 0, 0]), config: config, id: "x"))
        other["from_name"] = "another-tag"
        let joined = try BrushResult.mask(
            from: [try Self.item(Self.object(BrushResult.result(a, config: config, id: "a"))), try Self.item(other),
                   try Self.item(Self.object(BrushResult.result(b, config: config, id: "b")))],
            config: config, width: 2, height: 2)
        #expect(joined.pixels == [255, 0, 0, 255])
        #expect(try BrushResult.mask(from: [], config: config, width: 3, height: 1) == MaskPixels(width: 3, height: 1, pixels: [0, 0, 0]))
    }

    @Test func faintEdgesAreNotPaintAndBadRegionsAreNamed() throws {
        let config = try LabelingConfig(xml: Self.config)
        let rle = BrushRLE.encode([9, 9, 9, 127, 9, 9, 9, 128])
        let region: [String: Any] = ["type": "brushlabels", "from_name": "vessels", "original_width": 2, "original_height": 1,
                                     "value": ["rle": rle.map(Int.init)]]
        #expect(try BrushResult.mask(from: [try Self.item(region)], config: config, width: 2, height: 1).pixels == [0, 255])
        var notBytes = region
        notBytes["value"] = ["rle": [1, 2, 300]]
        #expect(throws: BrushRLE.Malformed(description: "value.rle holds 300, not a byte")) {
            try BrushResult.mask(from: [try Self.item(notBytes)], config: config, width: 2, height: 1)
        }
        var huge = region
        huge["original_width"] = 1 << 20
        #expect(throws: BrushRLE.Malformed(description: "a brush region of 1048576x1 pixels on a 2x1 image")) {
            try BrushResult.mask(from: [try Self.item(huge)], config: config, width: 2, height: 1)
        }
        var noValue = region
        noValue["value"] = "rle"
        #expect(throws: BrushRLE.Malformed(description: "a brushlabels result without value.rle as a list of numbers")) {
            try BrushResult.mask(from: [try Self.item(noValue)], config: config, width: 2, height: 1)
        }
    }

    @Test(arguments: [
        (1, "loupe@example.com", "ls-1-loupe"),
        (7, "Ana María <ana@x.org>", "ls-7-Ana-Mar-a--ana"),
        (3, "a\u{1B}[31mred@x", "ls-3-a--31mred"),
        (2, String(repeating: "z", count: 200), "ls-2-" + String(repeating: "z", count: 59)),
    ])
    func labelStudioUsersBecomeValidAnnotatorNames(id: Int, user: String, expected: String) throws {
        let name = LabelStudioUsers.annotatorName(id: id, user: user)
        #expect(name == expected)
        #expect(try AnnotatorName.validate(name) == name)
    }
}

@Suite struct LabelStudioOriginTests {
    @Test(arguments: [
        ("http://ls.lab:8080/data/upload/1/a.png", "http://ls.lab:8080", true),
        ("HTTP://LS.lab:8080/x", "http://ls.lab:8080/", true),
        ("http://ls.lab/x", "http://ls.lab:80", true),
        ("http://ls.lab:9999/x", "http://ls.lab:8080", false),
        ("https://ls.lab:8080/x", "http://ls.lab:8080", false),
        ("http://elsewhere.org/x.png", "http://ls.lab:8080", false),
        ("http://ls.lab.evil.org:8080/x", "http://ls.lab:8080", false),
    ])
    func theKeyGoesOnlyToLabelStudiosOwnOrigin(url: String, hostname: String, sent: Bool) {
        #expect((WebOrigin.of(url) == WebOrigin.of(hostname)) == sent)
    }
}
