import type { TestWarden } from '../support/test-warden';

export const ENTRY_FIELDS = `id type actorId targetId actor { id } target { id } reason at instance correlationId details`;

export const MODERATION_LOG = `query Log($filter: ModerationLogFilter, $first: Int, $after: String) {
  moderationLog(filter: $filter, first: $first, after: $after) {
    nodes { ${ENTRY_FIELDS} }
    pageInfo { endCursor hasNextPage }
  }
}`;

export const MODERATION_EVENTS = `subscription Events($types: [ModerationEventType!]) {
  moderationEvents(types: $types) { ${ENTRY_FIELDS} }
}`;

export interface LogEntry {
  id: string;
  type: string;
  actorId: string | null;
  targetId: string | null;
  actor: { id: string } | null;
  target: { id: string } | null;
  reason: string | null;
  at: string;
  instance: string;
  correlationId: string;
  details: Record<string, any>;
}

/** Writes what was recorded, then reads one page of the log as the admin `admin`. */
export async function logOf(
  api: TestWarden,
  filter: Record<string, unknown>,
  first = 100,
): Promise<LogEntry[]> {
  await api.warden.flushAudit();
  const response = await api.as('admin', true)(MODERATION_LOG, { filter, first });
  if (response.errors) throw new Error(`moderationLog failed: ${JSON.stringify(response.errors)}`);
  return response.data!.moderationLog.nodes as LogEntry[];
}

/** POSTs an operation with a token and returns the response with its x-correlation-id header. */
export async function postWithHeaders(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ body: any; correlationId: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { body: await response.json(), correlationId: response.headers.get('x-correlation-id') };
}
