/// `sweep.json`: the images one model predicts as a Slurm job array, cut into shards of
/// `shardSize`; array task K predicts shard K. The model's weights and the images travel
/// beside it in the sweep's `objects/`.
package struct PredictionSweepManifest: Codable, Sendable, Equatable {
    package static let currentFormat = 1

    package var formatVersion: Int
    package var model: String
    package var images: [String]
    package var shardSize: Int

    package init(model: String, images: [String]) {
        formatVersion = Self.currentFormat
        self.model = model
        self.images = images
        shardSize = SweepShardPlan(images: images.count).shardSize
    }

    package var shards: Int { shardSize > 0 ? (images.count + shardSize - 1) / shardSize : 0 }

    package func images(ofShard shard: Int) -> ArraySlice<String> {
        let start = min(max(0, shard) * shardSize, images.count)
        return images[start..<min(start + shardSize, images.count)]
    }

    /// Every object a task reads: the weights and the images, once each.
    var objects: [String] { Array(Set(images + [model])).sorted() }
}

/// How a sweep is cut: shards of at least `minimumShard` images, so that what a task pays to
/// start (the binary, the model, a node) is spread over real work, and at most
/// `maximumShards` of them, below Slurm's default MaxArraySize of 1001.
package struct SweepShardPlan: Sendable, Equatable {
    package static let minimumShard = 25
    package static let maximumShards = 1000

    package var images: Int
    package var shardSize: Int
    package var shards: Int

    package init(images: Int) {
        self.images = images
        shardSize = max(Self.minimumShard, (images + Self.maximumShards - 1) / Self.maximumShards)
        shards = (images + shardSize - 1) / shardSize
    }

    /// Seconds for the sweep on `nodes` nodes of `tasksPerNode` concurrent tasks each, from
    /// the seconds one image takes and what a task pays to start: whole waves of shards.
    package func seconds(nodes: Int, tasksPerNode: Int, secondsPerImage: Double, taskStartSeconds: Double) -> Double {
        let concurrent = max(1, nodes * tasksPerNode)
        let waves = (shards + concurrent - 1) / concurrent
        return Double(waves) * (taskStartSeconds + Double(shardSize) * secondsPerImage)
    }
}

/// `shard-K.json`: what array task K reports, written last, so its presence means the task
/// ended. `predictions` name the masks and probability maps it wrote into `out/` by SHA-256.
package struct SweepShardResult: Codable, Sendable, Equatable {
    package struct Predicted: Codable, Sendable, Equatable {
        package var image: String
        package var mask: String
        package var probability: String
        package var uncertainty: Double
        package var vesselFraction: Double
        package var ms: Int
    }

    package var formatVersion: Int
    package var shard: Int
    package var predictions: [Predicted]
    package var error: String?
    package var totalMilliseconds: Int
}
