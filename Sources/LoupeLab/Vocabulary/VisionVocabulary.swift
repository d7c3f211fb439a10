import LoupeVision

// What callers of the lab read from a training in progress.
public typealias TrainingProgress = LoupeVision.TrainingProgress

// What `reproduce` reports the kernels of a training with.
public typealias BLASKernel = LoupeVision.BLASKernel
