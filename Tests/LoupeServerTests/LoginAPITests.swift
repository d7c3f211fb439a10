import Foundation
import LoupeLab
import Synchronization
import Testing
@testable import LoupeServer

/// Sign-in with a login code through `POST /api/v1/login` against a real `loupe run`: a code
/// signs in once with its annotator's role, and expired, reused and wrong codes, and a flood
/// of 10,000 guesses, are refused without ever signing anybody in.
@Suite(.serialized) struct LoginAPITests {
    static func login(_ lab: ServerHarness, name: String, code: String) async throws -> Reply {
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "code": code])
        return try await lab.request("POST", "/api/v1/login", body: Array(body), contentType: "application/json")
    }

    /// The `n`th guess, written as codes are: 0000-0000-0001.
    static func guess(_ n: Int) -> String {
        let digits = Array(String(format: "%012d", n))
        return [digits[0..<4], digits[4..<8], digits[8..<12]].map { String($0) }.joined(separator: "-")
    }

    @Test func aCodeSignsInOnceAndExpiredOrWrongCodesDoNot() async throws {
        var codes: [String: String] = [:]
        let lab = try ServerHarness { root in
            let lab = try Workspace(at: root)
            try lab.addAnnotator(name: "lead", role: .operator)
            try lab.addAnnotator(name: "ana")
            codes["lead"] = try lab.issueLoginCode(name: "lead").code
            codes["old"] = try lab.issueLoginCode(name: "ana", now: Date().addingTimeInterval(-16 * 60)).code
        }
        let signedIn = try await Self.login(lab, name: "lead", code: try #require(codes["lead"]))
        #expect(signedIn.status == 201, "\(signedIn.text)")
        #expect(signedIn.json["annotator"] as? String == "lead" && signedIn.json["role"] as? String == "operator")
        let token = try #require(signedIn.json["token"] as? String)
        let session = try await lab.request("GET", "/api/v1/session", token: token)
        #expect(session.json["annotator"] as? String == "lead" && session.json["role"] as? String == "operator")
        let pause = try await lab.request("POST", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8),
                                          contentType: "application/json", token: token)
        #expect(pause.status == 202, "the session has the operator's role")

        let reused = try await Self.login(lab, name: "lead", code: try #require(codes["lead"]))
        #expect(reused.status == 401 && reused.errorCode == "login_refused" && reused.text.contains("used already"))
        let expired = try await Self.login(lab, name: "ana", code: try #require(codes["old"]))
        #expect(expired.status == 401 && expired.text.contains("expired"))
        let wrong = try await Self.login(lab, name: "ana", code: "0000-0000-0000")
        #expect(wrong.status == 401 && wrong.json["token"] == nil)
        let otherName = try await Self.login(lab, name: "ana", code: "ZZZZ-ZZZZ-ZZZZ")
        #expect(otherName.status == 401)
        let badType = try await lab.request("POST", "/api/v1/login", body: Array(#"{"name": 1, "code": []}"#.utf8), contentType: "application/json")
        #expect(badType.status == 400)
        let huge = try await lab.request("POST", "/api/v1/login", body: Array("{\"name\":\"ana\",\"code\":\"\(String(repeating: "A", count: 10_000))\"}".utf8),
                                         contentType: "application/json")
        #expect(huge.status == 413)
        #expect(try lab.lab().events(type: .loginCodeRedeemed).count == 1)
        #expect(try lab.lab().replayDifferences() == [])
    }

    @Test func tenThousandGuessesAreBoundedAndSignNobodyIn() async throws {
        var code = ""
        let lab = try ServerHarness { root in
            let lab = try Workspace(at: root)
            try lab.addAnnotator(name: "ana")
            code = try lab.issueLoginCode(name: "ana").code
        }
        // The harness's requests are URLSession's, which any task may make.
        nonisolated(unsafe) let shared = lab
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            var statuses: [Int: Int] = [:]
            var started = 0
            for _ in 0..<16 {
                let n = started
                group.addTask { try await Self.login(shared, name: "ana", code: Self.guess(n)).status }
                started += 1
            }
            while let status = try await group.next() {
                statuses[status, default: 0] += 1
                if started < 10_000 {
                    let n = started
                    group.addTask { try await Self.login(shared, name: "ana", code: Self.guess(n)).status }
                    started += 1
                }
            }
            return statuses
        }
        #expect(statuses.values.reduce(0, +) == 10_000)
        #expect(statuses[201] == nil, "no guess signed in")
        #expect((statuses[401] ?? 0) <= 10, "at most 10 failures a name are checked: \(statuses)")
        #expect(statuses[429] == 10_000 - (statuses[401] ?? 0), "the rest wait: \(statuses)")
        let locked = try await Self.login(lab, name: "ana", code: code)
        #expect(locked.status == 429 && Int(locked.headers["retry-after"] ?? "") ?? 0 > 0, "even the right code waits out the window")
        #expect(try lab.lab().events(type: .loginCodeRedeemed).isEmpty)
        #expect(try await lab.request("GET", "/api/v1/session").status == 200, "the lab still answers")
    }

    @Test func theThrottleForgetsFailuresAfterItsWindow() {
        let now = Mutex(Date(timeIntervalSince1970: 0))
        let throttle = LoginThrottle(perName: 3, overall: 5, window: 900, clock: { now.withLock { $0 } })
        let first = throttle.admit("ana")
        throttle.succeeded("ana", at: Date(timeIntervalSince1970: 0))
        #expect(first == .admitted(Date(timeIntervalSince1970: 0)), "a success is no failure")
        for _ in 0..<3 { #expect(throttle.admit("ana") == .admitted(Date(timeIntervalSince1970: 0))) }
        #expect(throttle.admit("ana") == .wait(900))
        for _ in 0..<2 { #expect(throttle.admit("bob") == .admitted(Date(timeIntervalSince1970: 0)), "another name may still try") }
        #expect(throttle.admit("bob") == .wait(60), "the overall bound: 5 failures a minute")
        now.withLock { $0 = $0.addingTimeInterval(61) }
        #expect(throttle.admit("bob") == .admitted(Date(timeIntervalSince1970: 61)))
        #expect(throttle.admit("ana") == .wait(839))
        now.withLock { $0 = $0.addingTimeInterval(900) }
        #expect(throttle.admit("ana") == .admitted(Date(timeIntervalSince1970: 961)))
    }
}
