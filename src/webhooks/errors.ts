/** Internal: the one way this module fails, so every refusal is a WebhookVerificationError with a reason. */
import { WebhookVerificationError, type WebhookFailureReason } from '../core/errors.js'

/**
 * Builds the refusal. Messages name headers and rules, never header values or secrets, so an error
 * can be logged or returned to the sender as it is.
 */
export function refuse(reason: WebhookFailureReason, message: string): WebhookVerificationError {
  return new WebhookVerificationError(reason, message)
}
