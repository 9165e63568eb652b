import type { IncomingMessage } from 'node:http';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { OffenceKind } from '../../domain/moderation/automated-block-policy';
import { isStaff } from '../../domain/user/role';
import {
  RateLimitedError,
  type RateDecision,
  type RateLimitName,
  type RateLimitRule,
  type RateLimitStore,
} from '../../domain/moderation/rate-limit';
import type { OffenceCommand, OffenceOutcome } from '../../domain/use-cases/automated-block.use-case';
import type { RateLimitConfig } from '../../infrastructure/config/config';
import type { Logger } from '../../infrastructure/logging/logger';
import type { AppServices } from '../app-services';
import { reportedBy, type GraphQLContext } from '../context';
import { classifyError } from '../errors/classify-error';
import { ErrorCode } from '../errors/error-code';
import { clientIp, ipSubject } from './client-ip';
import { memberMutationCounter, type MemberMutationCounter } from './member-mutations';

export type Transport = 'http' | 'ws';

/** The per-IP limit on failed authentications, as api/context.ts uses it. */
export interface AuthenticationLimit {
  /** Resolves to the refusal when `ip` failed too often: refuse before verifying anything. */
  beforeAuthentication(ip: string | null, correlationId: string, transport: Transport): Promise<RateLimitedError | null>;
  /** Counts a failed authentication; resolves to the refusal when it went over the limit. */
  afterFailedAuthentication(ip: string | null, correlationId: string, transport: Transport): Promise<RateLimitedError | null>;
}

export interface RateLimitGuardDeps {
  store: RateLimitStore;
  /** recordOffence (domain/use-cases/automated-block.use-case.ts), bound to its adapters. */
  recordOffence: (command: OffenceCommand) => Promise<OffenceOutcome>;
  limits: RateLimitConfig;
  schema: GraphQLSchema;
  /** Read at each call: whoever wires the audit recorder into the services wins. */
  services: Pick<AppServices, 'audit'>;
  /** Told every refusal, by limit name (metrics). */
  onRateLimited?(limit: RateLimitName): void;
  log: Logger;
}

/**
 * Rate limits and offence counting for both transports: the HTTP plugin, the context's
 * authentication and the graphql-ws hooks all call this, so a limit is one count whatever
 * the transport. Refusals are audited (RATE_LIMITED); a member's rate-limit hits and
 * FORBIDDEN refusals are offences that may block the member automatically.
 */
export class RateLimitGuard implements AuthenticationLimit {
  private readonly rules: Record<RateLimitName, RateLimitRule>;
  private readonly memberMutations: MemberMutationCounter;

  constructor(private readonly deps: RateLimitGuardDeps) {
    const { windowMs, memberMutations, connectionInits, failedAuths } = deps.limits;
    this.rules = {
      MEMBER_MUTATIONS: { name: 'MEMBER_MUTATIONS', max: memberMutations, windowMs },
      CONNECTION_INITS_PER_IP: { name: 'CONNECTION_INITS_PER_IP', max: connectionInits, windowMs },
      FAILED_AUTHS_PER_IP: { name: 'FAILED_AUTHS_PER_IP', max: failedAuths, windowMs },
    };
    this.memberMutations = memberMutationCounter(deps.schema);
  }

  /** The client address of an HTTP request or WebSocket upgrade (TRUSTED_PROXY_HOPS applies). */
  clientIp(request: IncomingMessage): string | null {
    return clientIp(request, this.deps.limits.trustedProxyHops);
  }

  async beforeAuthentication(ip: string | null, correlationId: string, transport: Transport) {
    if (!ip) return null;
    const rule = this.rules.FAILED_AUTHS_PER_IP;
    return this.refusal(rule, await this.deps.store.peek(rule, ipSubject(ip)), { ip, correlationId, transport });
  }

  async afterFailedAuthentication(ip: string | null, correlationId: string, transport: Transport) {
    if (!ip) return null;
    const rule = this.rules.FAILED_AUTHS_PER_IP;
    return this.refusal(rule, await this.deps.store.hit(rule, ipSubject(ip)), { ip, correlationId, transport });
  }

  /** At `connection_init`, before the token is looked at: counts the attempt per IP. */
  async admitConnection(ip: string | null, correlationId: string): Promise<RateLimitedError | null> {
    if (!ip) return null;
    const rule = this.rules.CONNECTION_INITS_PER_IP;
    const refused = this.refusal(rule, await this.deps.store.hit(rule, ipSubject(ip)), { ip, correlationId, transport: 'ws' });
    return refused ?? this.beforeAuthentication(ip, correlationId, 'ws');
  }

  /**
   * Before an operation runs: counts its member mutations against the caller's limit.
   * Blocked members are not counted: the domain refuses their actions with
   * ACCOUNT_BLOCKED, which tells them more than RATE_LIMITED would.
   */
  async checkOperation(
    context: GraphQLContext,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    transport: Transport,
  ): Promise<RateLimitedError | null> {
    const cost = this.memberMutations(document, operation);
    if (cost === 0 || context.me.isBlocked()) return null;
    const rule = this.rules.MEMBER_MUTATIONS;
    const { userId } = context.viewer;
    const decision = await this.deps.store.hit(rule, userId, cost);
    const refused = this.refusal(
      rule,
      // Every refused mutation is audited: it is also an offence, and a handful block the member.
      decision.allowed ? decision : { ...decision, firstRefusal: true },
      { userId, ip: context.clientIp, correlationId: context.correlationId, transport },
    );
    if (refused && !isStaff(context.viewer)) await this.offence(userId, 'RATE_LIMITED', context.correlationId);
    return refused;
  }

  /**
   * After an operation, or each event of a subscription: a refused staff operation (a root
   * field answered FORBIDDEN) is one offence of a member caller, at most once per
   * operation. Staff commit none (a moderator refused an admin's operation is audited, not
   * blocked); ACCOUNT_BLOCKED and ACTION_RESTRICTED are no offence. A refused field below the root is no offence: what a response holds can
   * depend on others (another member's message brings its sender's fields into the
   * subscriber's events), and a read the caller may not see is not an act.
   */
  async reportErrors(context: GraphQLContext | undefined, errors: readonly unknown[]): Promise<void> {
    const viewer = context?.viewer;
    if (!context || !viewer || isStaff(viewer)) return;
    const reported = reportedBy(context);
    if (reported.offence || !errors.some(isRefusedOperation)) return;
    reported.offence = true;
    await this.offence(viewer.userId, 'FORBIDDEN', context.correlationId);
  }

  /** Never throws: a failing offence count or block must not fail the request it rode on. */
  private async offence(userId: string, kind: OffenceKind, correlationId: string): Promise<void> {
    try {
      const outcome = await this.deps.recordOffence({ userId, kind, correlationId });
      if (outcome.kind === 'BLOCKED') {
        this.deps.log.warn(
          { action: 'automated-block', userId, duration: outcome.duration, lastOffence: kind, correlationId },
          'member blocked automatically',
        );
      } else if (outcome.kind === 'SKIPPED') {
        this.deps.log.info(
          { action: 'automated-block-skipped', userId, why: outcome.why, correlationId },
          'offence threshold reached; no automated block',
        );
      }
    } catch (error) {
      this.deps.log.error(
        { action: 'automated-block-failed', userId, correlationId, err: error },
        'automated block failed; the offence count starts over',
      );
    }
  }

  /**
   * The refusal for a decision, audited. Per-IP floods are audited once per refusal
   * period (`firstRefusal`) so they cannot turn into a flood of audit writes.
   */
  private refusal(
    rule: RateLimitRule,
    decision: RateDecision,
    who: { userId?: string; ip: string | null; correlationId: string; transport: Transport },
  ): RateLimitedError | null {
    if (decision.allowed) return null;
    this.deps.onRateLimited?.(rule.name);
    const error = new RateLimitedError(rule.name, decision.retryAfterMs);
    const details = {
      limit: rule.name,
      max: rule.max,
      windowMs: rule.windowMs,
      ip: who.ip,
      retryAfterSeconds: error.retryAfterSeconds,
      transport: who.transport,
    };
    const line = { action: 'rate-limited', userId: who.userId, correlationId: who.correlationId, ...details };
    if (!decision.firstRefusal) {
      this.deps.log.debug(line, error.message);
      return error;
    }
    this.deps.log.info(line, error.message);
    this.deps.services.audit.record({
      type: 'RATE_LIMITED',
      actorId: who.userId ?? null,
      targetId: who.userId ?? null,
      reason: rule.name,
      correlationId: who.correlationId,
      details,
    });
    return error;
  }
}

/** A root field refused with FORBIDDEN: the caller asked for an operation it may not run. */
function isRefusedOperation(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path?.length !== 1) return false;
  return classifyError(error.originalError ?? error, error).code === ErrorCode.FORBIDDEN;
}
