import LoupeLedger

// The ledger's value types that callers of the lab read: records of the projections, events
// and their payloads. Published here so that no layer above LoupeLab imports the ledger; the
// ledger's storage (connection, appends, object store) stays behind `Workspace`.

package typealias ImageRecord = LoupeLedger.ImageRecord
package typealias ImageState = LoupeLedger.ImageState
package typealias ModelRecord = LoupeLedger.ModelRecord
package typealias RunRecord = LoupeLedger.RunRecord
package typealias RejectedRecord = LoupeLedger.RejectedRecord

package typealias EventRow = LoupeLedger.EventRow
package typealias EventKind = LoupeLedger.EventKind
package typealias LedgerEvent = LoupeLedger.LedgerEvent
package typealias ImageIngested = LoupeLedger.ImageIngested
package typealias ImageNamed = LoupeLedger.ImageNamed
package typealias FileRejected = LoupeLedger.FileRejected
package typealias PredictionMade = LoupeLedger.PredictionMade
package typealias CorrectionAccepted = LoupeLedger.CorrectionAccepted
package typealias CorrectionMaking = LoupeLedger.CorrectionMaking
package typealias RecordedClick = LoupeLedger.RecordedClick
package typealias RecordedStroke = LoupeLedger.RecordedStroke
package typealias PixelOrigins = LoupeLedger.PixelOrigins
package typealias TrainingStarted = LoupeLedger.TrainingStarted
package typealias ModelTrained = LoupeLedger.ModelTrained
package typealias TrainingEnded = LoupeLedger.TrainingEnded
package typealias ModelPromoted = LoupeLedger.ModelPromoted
package typealias ModelRejected = LoupeLedger.ModelRejected
package typealias LabelledImage = LoupeLedger.LabelledImage
package typealias HeadAnchor = LoupeLedger.HeadAnchor

package typealias LedgerBenchmark = LoupeLedger.LedgerBenchmark

package typealias AnnotatorAdded = LoupeLedger.AnnotatorAdded
package typealias AnnotatorRecord = LoupeLedger.AnnotatorRecord
package typealias OperatorAction = LoupeLedger.OperatorAction
package typealias ModelPin = LoupeLedger.ModelPin
package typealias ControlsRecord = LoupeLedger.ControlsRecord
package typealias Disagreement = LoupeLedger.Disagreement
package typealias LabelStudioTaskLinked = LoupeLedger.LabelStudioTaskLinked

package typealias ImageSetAside = LoupeLedger.ImageSetAside
package typealias ImageComment = LoupeLedger.ImageComment
package typealias CorrectionReview = LoupeLedger.CorrectionReview
package typealias ImageMarkRecord = LoupeLedger.ImageMarkRecord
package typealias ReviewRecord = LoupeLedger.ReviewRecord
package typealias LoginCodeIssued = LoupeLedger.LoginCodeIssued
package typealias LoginCodeRedeemed = LoupeLedger.LoginCodeRedeemed
