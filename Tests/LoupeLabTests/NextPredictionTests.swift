import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// The daemon's pick of the next image to predict, read from a few sorted rows, is the first of
/// the whole ordered backlog, for every strategy, model, queue head and set of skipped images.
@Suite struct NextPredictionTests {
    /// Eight images: im0 corrected; im1..im5 predicted by "old" or "new", with tied
    /// uncertainties; im6 and im7 never predicted.
    static func lab(strategy: String) throws -> (Workspace, [String]) {
        let (_, lab) = try makeLab(settings: #"{"queueStrategy": "\#(strategy)"}"#)
        var shas: [String] = []
        for index in 0..<8 {
            let bytes = try ImageCodec.encodePNG(fundus(seed: index))
            _ = try lab.ingestImage(at: try drop(bytes, as: "im\(index).png", into: lab.inbox))
            shas.append(ObjectStore.sha256(bytes))
        }
        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: 0)), as: "im0.png", into: lab.corrections))
        for (index, model, uncertainty) in [(1, "old", 0.4), (2, "new", 0.4), (3, "old", 0.9), (4, "old", 0.4), (5, "new", 0.1)] {
            try lab.recordPrediction(PredictionMade(image: shas[index], model: model, mask: "x", uncertainty: uncertainty, vesselFraction: 0.1, ms: 1))
        }
        return (lab, shas)
    }

    @Test(arguments: ["uncertainty", "fifo", "random:5"])
    func theNextPredictionIsTheFirstOfTheBacklog(strategy: String) throws {
        let (lab, shas) = try Self.lab(strategy: strategy)
        let skips: [Set<String>] = [[], [shas[3]], [shas[6], shas[1]], Set(shas)]
        for model in ["old", "new", "other"] {
            #expect(try lab.predictionBacklogCount(model: model) == lab.predictionBacklog(model: model).count)
            for head in 0...3 {
                for skipping in skips {
                    let first = try lab.predictionBacklog(model: model, head: head).first { !skipping.contains($0.sha) }?.sha
                    #expect(try lab.nextPrediction(model: model, skipping: skipping, head: head) == first, "\(model), head \(head)")
                }
            }
        }
        #expect(try lab.nextPrediction(model: "new", skipping: Set(shas)) == nil)
    }

    /// The SQL orders are the queue's: most uncertain first with ties oldest first, never
    /// predicted last; and oldest first.
    @Test func sqlOrdersTheWaitingImagesAsTheQueueDoes() throws {
        let (lab, shas) = try Self.lab(strategy: "uncertainty")
        let uncertain = try lab.projections.waitingImages(.all, order: .mostUncertain, limit: -1)
        #expect(uncertain.map(\.sha) == [3, 1, 2, 4, 5, 6, 7].map { shas[$0] })
        #expect(uncertain == (try lab.annotationQueue(strategy: .uncertainty)))
        #expect(try lab.projections.waitingImages(.all, order: .oldest, limit: -1) == lab.annotationQueue(strategy: .fifo))
        #expect(try lab.projections.waitingImages(.notPredictedBy("old"), order: .oldest, limit: 3).map(\.sha) == [2, 5, 6].map { shas[$0] })
        #expect(try lab.projections.waitingImages(.neverPredicted, order: .oldest, limit: 5).map(\.sha) == [6, 7].map { shas[$0] })
    }

    /// A page of the queue read from a few sorted rows is the whole queue's first page, with its
    /// total, whatever the claims exclude (corrected and unknown images among them).
    @Test(arguments: ["uncertainty", "fifo", "random:5"])
    func aPageOfTheQueueIsTheWholeQueuesFirstPage(strategy: String) throws {
        let (lab, shas) = try Self.lab(strategy: strategy)
        for excluded in [[], [shas[3]], [shas[0], shas[6], "unknown"], Set(shas)] as [Set<String>] {
            let whole = try lab.annotationQueue().filter { !excluded.contains($0.sha) }
            for limit in [1, 3, 50] {
                let page = try lab.annotationQueue(limit: limit, excluding: excluded)
                #expect(page.images == Array(whole.prefix(limit)))
                #expect(page.total == whole.count)
            }
        }
    }
}
