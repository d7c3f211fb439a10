import LoupeLedger

// The ledger's value types that callers of the lab read: records of the projections, events
// and their payloads. Published here so that no layer above LoupeLab imports the ledger; the
// ledger's storage (connection, appends, object store) stays behind `Workspace`.

public typealias ImageRecord = LoupeLedger.ImageRecord
public typealias ImageState = LoupeLedger.ImageState
public typealias ModelRecord = LoupeLedger.ModelRecord
public typealias RunRecord = LoupeLedger.RunRecord
public typealias RejectedRecord = LoupeLedger.RejectedRecord

public typealias EventRow = LoupeLedger.EventRow
public typealias EventKind = LoupeLedger.EventKind
public typealias LedgerEvent = LoupeLedger.LedgerEvent
public typealias ImageIngested = LoupeLedger.ImageIngested
public typealias ImageNamed = LoupeLedger.ImageNamed
public typealias FileRejected = LoupeLedger.FileRejected
public typealias PredictionMade = LoupeLedger.PredictionMade
public typealias CorrectionAccepted = LoupeLedger.CorrectionAccepted
public typealias TrainingStarted = LoupeLedger.TrainingStarted
public typealias ModelTrained = LoupeLedger.ModelTrained
public typealias TrainingEnded = LoupeLedger.TrainingEnded
public typealias ModelPromoted = LoupeLedger.ModelPromoted
public typealias ModelRejected = LoupeLedger.ModelRejected
public typealias LabelledImage = LoupeLedger.LabelledImage
public typealias HeadAnchor = LoupeLedger.HeadAnchor

public typealias LedgerBenchmark = LoupeLedger.LedgerBenchmark

public typealias AnnotatorAdded = LoupeLedger.AnnotatorAdded
public typealias AnnotatorRecord = LoupeLedger.AnnotatorRecord
public typealias OperatorAction = LoupeLedger.OperatorAction
public typealias ModelPin = LoupeLedger.ModelPin
public typealias ControlsRecord = LoupeLedger.ControlsRecord
public typealias Disagreement = LoupeLedger.Disagreement
public typealias LabelStudioTaskLinked = LoupeLedger.LabelStudioTaskLinked
