import type { NewAuditEntry } from '../../domain/audit/audit-entry';
import type { Warden } from '../../api/start-warden';

export interface RawResponse {
  status: number;
  /** The Retry-After header, when sent. */
  retryAfter: string | null;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions: Record<string, any> }[];
}

/**
 * POSTs one operation and keeps the status and Retry-After header. `ip` is sent as
 * X-Forwarded-For, which a Warden started with TRUSTED_PROXY_HOPS=1 takes as the client's
 * address: how one test process plays many clients.
 */
export async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; ip?: string } = {},
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.ip ? { 'x-forwarded-for': options.ip } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<RawResponse, 'status' | 'retryAfter'>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...body };
}

/** The first error's code, or 'OK' when there is none. */
export function outcome(response: { errors?: { extensions: Record<string, any> }[] }): string {
  return response.errors?.[0]?.extensions.code ?? 'OK';
}

/** Collects what a Warden hands its audit recorder (whichever recorder is wired). */
export function auditEntries(warden: Warden): NewAuditEntry[] {
  const entries: NewAuditEntry[] = [];
  const recorder = warden.services.audit;
  const record = recorder.record.bind(recorder);
  recorder.record = (entry) => {
    entries.push(entry);
    record(entry);
  };
  return entries;
}

/** Ten member mutations in a row would be slow to write out; this is one. */
export const CREATE = `mutation { createItemListing(input: { title: "Drill", description: "Good", category: "tools", location: "Utrecht" }) { id } }`;
/** An admin operation: FORBIDDEN for members, an offence. */
export const FORBIDDEN_CALL = `mutation { unblockUser(input: { userId: "aaaaaaaaaaaaaaaaaaaaaaaa", reason: "please" }) { id } }`;
