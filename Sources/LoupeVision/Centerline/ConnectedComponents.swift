/// Counts 8-connected groups of set pixels: the strokes an expert would draw or erase, one per
/// unbroken piece of centerline.
public enum ConnectedComponents {
    public static func count(_ mask: PixelMask) -> Int {
        let width = mask.width
        var seen = [Bool](repeating: false, count: mask.bits.count)
        var stack: [Int] = []
        var components = 0
        for start in mask.bits.indices where mask.bits[start] && !seen[start] {
            components += 1
            seen[start] = true
            stack.append(start)
            while let index = stack.popLast() {
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
        }
        return components
    }
}
