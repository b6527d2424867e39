import AutomationsAPI
import AutomationsModel
import Foundation
import GitpodAPI
import SwiftProtobuf
import Testing

/// The Connect core without HTTP: what both SDKs need from the wire.
struct ConnectServerTests {
    static let getService = "gitpod.v1.EnvironmentAutomationService/GetService"

    /// A server whose GetService answers a service with the requested id, or not_found for "missing".
    static func server(token: String? = nil) -> ConnectServer {
        ConnectServer(
            routes: [
                getService: { (call: ConnectCall) async throws(ConnectError) -> [UInt8] in
                    let request: Gitpod_V1_GetServiceRequest = try call.decode()
                    guard request.id != "missing" else { throw ConnectError(.notFound, "service missing not found") }
                    var response = Gitpod_V1_GetServiceResponse()
                    response.service.id = request.id
                    response.service.status.phase = .running
                    response.service.status.statusVersion = 7
                    return try call.encode(response)
                }
            ],
            token: token
        )
    }

    private func request(
        _ body: [UInt8],
        contentType: String = "application/json",
        path: String = "/" + getService,
        method: String = "POST",
        headers: [String: String] = [:]
    ) -> HTTPRequestParts {
        HTTPRequestParts(
            method: method,
            path: path,
            headers: ["Content-Type": contentType].merging(headers) { $1 },
            body: body
        )
    }

    private func json(_ response: HTTPResponseParts) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }

    @Test func jsonInJSONOut() async throws {
        let response = await Self.server().handle(request(Array(#"{"id":"a1","unknownField":1}"#.utf8)))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let decoded = try Gitpod_V1_GetServiceResponse(jsonUTF8Data: Data(response.body))
        #expect(decoded.service.id == "a1")
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""phase":"SERVICE_PHASE_RUNNING""#))
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""statusVersion":"7""#))
    }

    @Test func protoInProtoOutAlsoUnderApi() async throws {
        var message = Gitpod_V1_GetServiceRequest()
        message.id = "b2"
        let response = await Self.server().handle(
            request(try message.serializedBytes(), contentType: "application/proto", path: "/api/" + Self.getService)
        )
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/proto")
        #expect(try Gitpod_V1_GetServiceResponse(serializedBytes: response.body).service.id == "b2")
    }

    @Test func gzipBodiesAreInflated() async throws {
        // gzip of {"id":"gz"}, made with Python's gzip.compress.
        let compressed: [UInt8] = [
            0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xAB, 0x56, 0xCA, 0x4C, 0x51, 0xB2, 0x52,
            0x4A, 0xAF, 0x52, 0xAA, 0x05, 0x00, 0x8F, 0x37, 0x1E, 0x69, 0x0B, 0x00, 0x00, 0x00,
        ]
        let response = await Self.server().handle(request(compressed, headers: ["Content-Encoding": "gzip"]))
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(try Gitpod_V1_GetServiceResponse(jsonUTF8Data: Data(response.body)).service.id == "gz")
        let corrupt = await Self.server().handle(request([0x1F, 0x8B, 1, 2, 3], headers: ["Content-Encoding": "gzip"]))
        #expect(corrupt.status == 400)
        #expect(json(corrupt)["code"] as? String == "invalid_argument")
    }

    @Test func errorsAreJSONWithTheirStatusAndNoRetry() async throws {
        let cases: [(HTTPRequestParts, Int, String)] = [
            (request(Array(#"{"id":"missing"}"#.utf8)), 404, "not_found"),
            (request(Array("{nope".utf8)), 400, "invalid_argument"),
            (request([], path: "/gitpod.v1.EnvironmentAutomationService/Nope"), 501, "unimplemented"),
            (request([], contentType: "text/plain"), 415, "unimplemented"),
            (request([], method: "GET"), 405, "unimplemented"),
            (request([], headers: ["Connect-Protocol-Version": "2"]), 400, "invalid_argument"),
            (request([], headers: ["Content-Encoding": "br"]), 501, "unimplemented"),
            (request([UInt8](repeating: 0x20, count: ConnectServer.bodyLimit + 1)), 429, "resource_exhausted"),
        ]
        for (request, status, code) in cases {
            let response = await Self.server().handle(request)
            #expect(response.status == status, "\(code)")
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("x-should-retry") == "false")
            #expect(json(response)["code"] as? String == code)
            #expect(!(json(response)["message"] as? String ?? "").isEmpty)
        }
    }

    @Test func aTokenIsRequiredWhenSet() async throws {
        let server = Self.server(token: "s3cret")
        let denied = await server.handle(request(Array(#"{"id":"a"}"#.utf8)))
        #expect(denied.status == 401)
        #expect(json(denied)["code"] as? String == "unauthenticated")
        let allowed = await server.handle(
            request(Array(#"{"id":"a"}"#.utf8), headers: ["Authorization": "Bearer s3cret"])
        )
        #expect(allowed.status == 200)
    }
}
