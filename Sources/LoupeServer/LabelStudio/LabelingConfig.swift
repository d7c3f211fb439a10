import Foundation

/// What Loupe needs from a Label Studio project's labeling config: the BrushLabels tag its
/// results are named after (`from_name`), the Image tag they are drawn on (`to_name`), the task
/// field holding the image, and the label a vessel gets.
///
///     <View>
///       <Image name="image" value="$image"/>
///       <BrushLabels name="tag" toName="image"><Label value="Vessel"/></BrushLabels>
///     </View>
///
/// Read with a scanner of tags and attributes rather than an XML library: the config is small,
/// only start tags matter, and Foundation's XML parser would tie the binary to libxml2.
struct LabelingConfig: Sendable, Equatable {
    var fromName: String
    var toName: String
    /// The task data key, `image` for `value="$image"`.
    var dataKey: String
    var label: String

    struct Unusable: Error, CustomStringConvertible {
        let description: String
    }

    /// The first BrushLabels tag, its first Label, and the Image tag it points to.
    init(xml: String) throws(Unusable) {
        let tags = Self.startTags(in: xml)
        guard let brush = tags.first(where: { $0.name == "BrushLabels" }) else {
            throw Unusable(description: "the labeling config has no <BrushLabels> tag; Loupe answers with brush masks")
        }
        guard let from = brush.attributes["name"], let to = brush.attributes["toName"] else {
            throw Unusable(description: "the <BrushLabels> tag needs name and toName attributes")
        }
        guard let image = tags.first(where: { $0.name == "Image" && $0.attributes["name"] == to }),
              let value = image.attributes["value"], value.hasPrefix("$"), value.count > 1 else {
            throw Unusable(description: "no <Image name=\"\(to)\" value=\"$FIELD\"> tag for the <BrushLabels> to draw on")
        }
        let after = tags.drop(while: { $0.name != "BrushLabels" }).dropFirst()
        guard let label = after.prefix(while: { $0.name == "Label" }).first?.attributes["value"] else {
            throw Unusable(description: "the <BrushLabels> tag has no <Label value=\"...\"> inside")
        }
        self.init(fromName: from, toName: to, dataKey: String(value.dropFirst()), label: label)
    }

    init(fromName: String, toName: String, dataKey: String, label: String) {
        self.fromName = fromName
        self.toName = toName
        self.dataKey = dataKey
        self.label = label
    }

    struct Tag: Equatable {
        var name: String
        var attributes: [String: String]
    }

    /// Start (and self-closing) tags in order, with their quoted attributes unescaped.
    /// Comments, declarations and end tags are skipped.
    static func startTags(in xml: String) -> [Tag] {
        var tags: [Tag] = []
        var rest = Substring(xml)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            if rest.hasPrefix("!--") {
                guard let end = rest.range(of: "-->") else { break }
                rest = rest[end.upperBound...]
                continue
            }
            guard let close = closingBracket(in: rest) else { break }
            let body = rest[..<close]
            rest = rest[rest.index(after: close)...]
            guard let first = body.first, first.isLetter else { continue }
            tags.append(tag(body))
        }
        return tags
    }

    /// The `>` ending a tag, skipping any inside quoted attribute values.
    private static func closingBracket(in text: Substring) -> Substring.Index? {
        var quote: Character?
        for index in text.indices {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return index
            }
        }
        return nil
    }

    private static func tag(_ body: Substring) -> Tag {
        let nameEnd = body.firstIndex(where: { $0.isWhitespace || $0 == "/" }) ?? body.endIndex
        var attributes: [String: String] = [:]
        var rest = body[nameEnd...]
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces.union(["/"]))
            var value = rest[rest.index(after: equals)...].drop(while: { $0.isWhitespace })
            guard let quote = value.first, quote == "\"" || quote == "'" else { break }
            value = value.dropFirst()
            guard let end = value.firstIndex(of: quote) else { break }
            attributes[key] = unescaped(value[..<end])
            rest = value[value.index(after: end)...]
        }
        return Tag(name: String(body[..<nameEnd]), attributes: attributes)
    }

    private static func unescaped(_ text: Substring) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
