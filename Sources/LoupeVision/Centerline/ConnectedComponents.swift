/// 8-connected groups of set pixels: the strokes an expert would draw or erase, one per
/// unbroken piece of centerline.
public enum ConnectedComponents {
    public static func count(_ mask: PixelMask) -> Int {
        components(of: mask).count
    }

    /// Each group's pixel indices (row-major), groups in the order of their first pixel.
    public static func components(of mask: PixelMask) -> [[Int]] {
        let width = mask.width
        var seen = [Bool](repeating: false, count: mask.bits.count)
        var stack: [Int] = []
        var groups: [[Int]] = []
        for start in mask.bits.indices where mask.bits[start] && !seen[start] {
            var group: [Int] = []
            seen[start] = true
            stack.append(start)
            while let index = stack.popLast() {
                group.append(index)
                let x = index % width, y = index / width
                for dy in -1...1 {
                    for dx in -1...1 where mask[x + dx, y + dy] {
                        let neighbour = (y + dy) * width + x + dx
                        if !seen[neighbour] {
                            seen[neighbour] = true
                            stack.append(neighbour)
                        }
                    }
                }
            }
            groups.append(group)
        }
        return groups
    }
}
