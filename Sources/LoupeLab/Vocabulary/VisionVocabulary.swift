import LoupeVision

// What callers of the lab read from a training in progress.
public typealias TrainingProgress = LoupeVision.TrainingProgress
