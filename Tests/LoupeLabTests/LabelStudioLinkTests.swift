import Testing
@testable import LoupeLab

@Suite struct LabelStudioTaskLinkTests {
    @Test func aTaskLinksOnlyToAnImageOfTheLabAndLinkingBackIsANewEvent() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 2, corrected: 0)
        let (a, b) = (try lab.projections.images()[0].sha, try lab.projections.images()[1].sha)
        func link(_ image: String) -> LabelStudioTaskLinked {
            LabelStudioTaskLinked(project: 1, task: 9, image: image, source: "/data/upload/1/im.png")
        }
        #expect(throws: LookupError.noImage("f00")) { try lab.linkLabelStudioTask(link("f00")) }
        let first = try lab.linkLabelStudioTask(link(a))
        #expect(try lab.linkLabelStudioTask(link(a)) == first, "a retried webhook links once")
        try lab.linkLabelStudioTask(link(b))
        #expect(try lab.labelStudioImage(project: 1, task: 9)?.sha == b)
        let back = try lab.linkLabelStudioTask(link(a))
        #expect(back > first)
        #expect(try lab.labelStudioImage(project: 1, task: 9)?.sha == a)
        #expect(try lab.labelStudioImage(project: 2, task: 9) == nil)
        #expect(try lab.ledger.events(type: .labelStudioTaskLinked).count == 3)
    }
}
