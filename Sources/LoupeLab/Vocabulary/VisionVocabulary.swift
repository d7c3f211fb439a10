import LoupeVision

// What callers of the lab read from a training in progress.
package typealias TrainingProgress = LoupeVision.TrainingProgress

// What `reproduce` reports the kernels of a training with.
package typealias BLASKernel = LoupeVision.BLASKernel
