/// Zhang-Suen thinning (Zhang & Suen, CACM 27(3), 1984): peels a binary shape from its border
/// until a line about one pixel wide remains along its middle, the line an expert would trace
/// with a polyline tool.
///
/// Each pass has two sub-steps (south-east borders, then north-west ones) that remove, all at
/// once, the pixels whose removal neither splits the shape locally (exactly one 0→1 transition
/// around the pixel) nor shortens a line end (2 to 6 set neighbours). The result is 8-connected
/// but may keep a staircase pixel where a diagonal step would do; `CenterlineLength` does not
/// count those steps twice. A 2x2 block vanishes entirely, a known property of the method.
public enum Skeleton {
    public static func thin(_ mask: PixelMask) -> PixelMask {
        let width = mask.width, height = mask.height
        var bits = mask.bits
        // Only set pixels can change; keeping their indices makes each pass cost the shape, not the image.
        var candidates = bits.indices.filter { bits[$0] }
        var removed: [Int] = []
        var changed = true
        while changed {
            changed = false
            for step in 0..<2 {
                removed.removeAll(keepingCapacity: true)
                for index in candidates where bits[index] {
                    let x = index % width, y = index / width
                    func at(_ dx: Int, _ dy: Int) -> Bool {
                        let nx = x + dx, ny = y + dy
                        return nx >= 0 && ny >= 0 && nx < width && ny < height && bits[ny * width + nx]
                    }
                    // P2..P9 clockwise from north, as in the paper.
                    let ring = [at(0, -1), at(1, -1), at(1, 0), at(1, 1), at(0, 1), at(-1, 1), at(-1, 0), at(-1, -1)]
                    let neighbours = ring.reduce(0) { $0 + ($1 ? 1 : 0) }
                    guard (2...6).contains(neighbours) else { continue }
                    var transitions = 0
                    for i in 0..<8 where !ring[i] && ring[(i + 1) % 8] { transitions += 1 }
                    guard transitions == 1 else { continue }
                    let (p2, p4, p6, p8) = (ring[0], ring[2], ring[4], ring[6])
                    let removable = step == 0
                        ? !(p2 && p4 && p6) && !(p4 && p6 && p8)
                        : !(p2 && p4 && p8) && !(p2 && p6 && p8)
                    if removable { removed.append(index) }
                }
                for index in removed { bits[index] = false }
                changed = changed || !removed.isEmpty
            }
            candidates.removeAll { !bits[$0] }
        }
        return PixelMask(width: width, height: height, bits: bits)
    }
}
