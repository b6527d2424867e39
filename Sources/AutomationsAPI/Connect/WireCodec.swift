import AutomationsModel
import Foundation
public import SwiftProtobuf

/// The encoding of a request, which the answer uses too: proto3 JSON or binary protobuf.
public enum WireCodec: String, Sendable {
    case json
    case proto

    public var contentType: String { "application/\(rawValue)" }

    /// The codec of a `Content-Type` (parameters ignored), or `nil` for anything else.
    init?(contentType: String?) {
        let media = (contentType ?? "").split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        switch media {
        case "application/json": self = .json
        case "application/proto": self = .proto
        default: return nil
        }
    }
}

/// One call of an RPC: the codec, the decoded body's bytes and the query string (older SDKs page through it).
public struct ConnectCall: Sendable {
    public var codec: WireCodec
    public var body: [UInt8]
    public var query: [String: String]

    public init(codec: WireCodec, body: [UInt8], query: [String: String] = [:]) {
        self.codec = codec
        self.body = body
        self.query = query
    }

    /// The request message; unknown JSON fields are ignored, an empty JSON body is an empty message.
    /// - Throws: ``ConnectError`` `invalid_argument` with the decoder's reason.
    public func decode<Message: SwiftProtobuf.Message>(
        _ type: Message.Type = Message.self
    ) throws(ConnectError)
        -> Message
    {
        do {
            switch codec {
            case .proto:
                return try Message(serializedBytes: body)
            case .json:
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                let blank = body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
                return try Message(jsonUTF8Data: Data(blank ? Array("{}".utf8) : body), options: options)
            }
        } catch {
            throw ConnectError(.invalidArgument, "cannot read the request as \(Message.protoMessageName): \(error)")
        }
    }

    /// The answer message in the request's codec.
    public func encode(_ message: some SwiftProtobuf.Message) throws(ConnectError) -> [UInt8] {
        do {
            switch codec {
            case .proto: return try message.serializedBytes()
            case .json: return Array(try message.jsonUTF8Data())
            }
        } catch {
            throw ConnectError(.internal, "cannot encode \(type(of: message).protoMessageName): \(error)")
        }
    }
}
