import Foundation

/// What one HTTP attempt of a call came to: the decoded answer, or a failure worth another attempt.
/// Failures that must not be retried are thrown by the attempt instead.
enum AWSAttemptOutcome<Value: Sendable>: Sendable {
    /// The call succeeded with this answer.
    case success(Value)
    /// The attempt failed in a way another attempt may fix (throttling, a server fault, no connection).
    case retryable(AWSRequestFailure)
}

/// The retry loop every protocol shares (Query and JSON): full-jitter backoff bounded by the
/// policy's attempts and time budget, and the rule that a call whose request may have reached AWS
/// is repeated only when repeating is harmless. Errors that end a call carry every earlier attempt's
/// failure, first first, so the first failure (the one that explains what happened) leads.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
struct AWSRetryLoop: Sendable {
    /// The API action, for errors.
    let action: String
    /// Attempt and time bounds.
    let policy: RetryPolicy
    /// Clock, sleep and jitter.
    let system: AWSSystem

    /// Runs `attempt` (given its 1-based number) until it succeeds, throws, or the bounds are spent.
    func run<Value: Sendable>(_ attempt: (Int) async throws -> AWSAttemptOutcome<Value>) async throws -> Value {
        let started = system.now()
        var number = 0
        var failures: [AWSRequestFailure] = []
        while true {
            number += 1
            let failure: AWSRequestFailure
            do {
                switch try await attempt(number) {
                case .success(let value): return value
                case .retryable(let retryableFailure): failure = retryableFailure
                }
            } catch var error as AWSError {
                error.earlierAttempts = failures
                throw error
            } catch AWSClientError.retriesExhausted(let action, let attempts, let last) {
                throw AWSClientError.retriesExhausted(action: action, attempts: attempts, failures: failures + last)
            }
            failures.append(failure)
            let delay = policy.delay(beforeRetry: number, random: system.randomFraction())
            let elapsed = system.now().timeIntervalSince(started)
            guard number < policy.maxAttempts, elapsed + delay <= policy.maxTotalTime else {
                throw AWSClientError.retriesExhausted(action: action, attempts: number, failures: failures)
            }
            try await system.sleep(delay)
        }
    }

    /// How a transport failure of one attempt is handled: a request that provably never left is
    /// always retried; one that may have reached AWS only when repeating it is harmless; anything
    /// else ends the call.
    func transportFailure(_ error: HTTPTransportError, attempt: Int, idempotency: Idempotency) throws -> AWSRequestFailure {
        switch (error, idempotency) {
        case (.connectionFailed, _):
            return .transport(error)
        case (_, .unsafe):
            throw AWSClientError.notRetriedUnsafe(action: action, failure: error)
        case (.timedOut, _), (.connectionLost, _):
            return .transport(error)
        case (.other, _):
            throw AWSClientError.retriesExhausted(action: action, attempts: attempt, failures: [.transport(error)])
        }
    }
}
