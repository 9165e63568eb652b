import type { ApolloClient } from '@apollo/client';
import {
  ModerationLogPageDocument,
  type LogEntryFieldsFragment,
  type ModerationLogFilter,
  type ModerationLogPageQuery,
} from '../../generated/graphql';

/** The most entries one export reads (100 per page). */
const EXPORT_LIMIT = 10_000;
const COLUMNS = ['at', 'type', 'actorId', 'actor', 'targetId', 'target', 'reason', 'instance', 'correlationId', 'details'] as const;

/** Reads every entry the filter selects, page by page, and saves them as a CSV file. */
export async function downloadLogCsv(client: ApolloClient, filter: ModerationLogFilter): Promise<void> {
  const entries: LogEntryFieldsFragment[] = [];
  let after: string | null = null;
  do {
    const result: { data?: ModerationLogPageQuery } = await client.query({
      query: ModerationLogPageDocument,
      variables: { filter, first: 100, after },
      fetchPolicy: 'network-only',
    });
    const page: ModerationLogPageQuery['moderationLog'] | undefined = result.data?.moderationLog;
    if (!page) break;
    entries.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && entries.length < EXPORT_LIMIT);
  const rows = entries.map((entry) =>
    [entry.at, entry.type, entry.actorId, entry.actor?.displayName, entry.targetId, entry.target?.displayName, entry.reason, entry.instance, entry.correlationId, JSON.stringify(entry.details)]
      .map(csvCell)
      .join(','),
  );
  const blob = new Blob([[COLUMNS.join(','), ...rows].join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `moderation-log-${new Date().toISOString().slice(0, 10)}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so spreadsheets do not run it. */
function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
