import LoupeVision

// What callers of the lab read from a training in progress.
package typealias TrainingProgress = LoupeVision.TrainingProgress

// What `reproduce` reports the kernels of a training with.
package typealias BLASKernel = LoupeVision.BLASKernel

// An expert's click on an image, and the region a hint answers.
package typealias Click = LoupeVision.Click
package typealias PixelRegion = LoupeVision.PixelRegion
