import Foundation

extension AWSQueryClient {
    /// Sends a read-only `action` page after page, following the token each answer carries
    /// (CloudFormation's `NextToken`, EC2's `nextToken`) until one has none or an empty one. `fill`
    /// sets the call's own parameters; `page` reads each answer's result (`<Action>Result`, or
    /// the whole answer where the service has no wrapper, as EC2).
    public func forEachPage(
        _ action: String, tokenElement: String = "NextToken", parameters fill: (inout QueryParameters) -> Void,
        page: (XMLElementNode) throws -> Void
    ) async throws {
        var nextToken: String?
        repeat {
            var parameters = self.parameters(action)
            fill(&parameters)
            parameters.set("NextToken", nextToken)
            let result = WireDecoding.result(try await send(parameters, idempotency: .idempotent), action)
            try page(result)
            nextToken = result.string(tokenElement).flatMap { $0.isEmpty ? nil : $0 }
        } while nextToken != nil
    }
}
