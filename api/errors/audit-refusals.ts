import type { GraphQLError } from 'graphql';
import { auditEntryForRefusal } from '../../domain/audit/audit-entries';
import { reportedBy, type GraphQLContext } from '../context';

type RefusalContext = Pick<GraphQLContext, 'services' | 'viewer' | 'correlationId' | 'reported'>;

/**
 * Records, in the audit trail, each refusal among the errors a client is about to
 * receive: ACTION_REFUSED (a blocked member acted) and ADMIN_OPERATION_REFUSED
 * (FORBIDDEN). The one place both transports call: HTTP from the error-logging plugin,
 * WebSocket from graphql-ws's onNext. One entry per distinct refusal and field of an
 * operation: a list whose 100 items each refuse `block` is one refusal, and so is the same
 * refusal in every event of a subscription (another member's messages must not write the
 * subscriber's audit trail). Never throws.
 */
export function recordRefusals(
  context: Partial<RefusalContext> | undefined,
  errors: readonly GraphQLError[],
  operationName?: string | null,
): void {
  const { services, viewer, correlationId } = context ?? {};
  if (!context || !services || !viewer || !correlationId) return;
  const seen = reportedBy(context).audited;
  for (const error of errors) {
    try {
      const root = error.path?.[0];
      const operation = typeof root === 'string' ? root : (operationName ?? null);
      const entry = auditEntryForRefusal(error.originalError ?? error, { userId: viewer.userId, correlationId, operation });
      if (!entry) continue;
      const key = `${entry.type}:${JSON.stringify(entry.details)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      services.audit.record(entry);
    } catch {
      // Auditing never changes what the client receives.
    }
  }
}
