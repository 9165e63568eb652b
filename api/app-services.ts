import type { AppealRepository } from '../domain/appeals/appeal.repository';
import type { AuditLogReader, AuditRecorder } from '../domain/audit/audit-entry';
import { listModerationLog } from '../domain/use-cases/moderation-log.use-case';
import type { Clock } from '../domain/shared/clock';
import type { EventPublisher } from '../domain/ports/event-publisher';
import type { SessionControl } from '../domain/ports/session-control';
import type { ItemListingRepository } from '../domain/listing/item-listing.repository';
import type { MessagingRepository } from '../domain/messaging/messaging.repository';
import type { ReservationRequestRepository } from '../domain/reservation/reservation-request.repository';
import type { PersonalUserRepository } from '../domain/user/personal-user.repository';
import { blockDetailsFor, blockHistoryFor, getUser, restrictionRecordFor } from '../domain/use-cases/admin-queries';
import { liftRestriction } from '../domain/use-cases/lift-restriction.use-case';
import { privateDetail } from '../domain/use-cases/member-privacy';
import { restrictUser } from '../domain/use-cases/restrict-user.use-case';
import { appealBlock } from '../domain/use-cases/appeal-block.use-case';
import { appealForStatus, listOpenAppeals } from '../domain/use-cases/appeal-queries';
import { blockUser } from '../domain/use-cases/block-user.use-case';
import { decideAppeal } from '../domain/use-cases/decide-appeal.use-case';
import { createItemListing } from '../domain/use-cases/create-item-listing.use-case';
import { activeSessionCount, forceDisconnect } from '../domain/use-cases/force-disconnect.use-case';
import { getConversation, lookupListing, lookupUsers } from '../domain/use-cases/lookups';
import {
  listConversationMessages,
  listOwnConversations,
  listOwnListings,
  listOwnReservations,
  browseListings,
  getListing,
  listRequestsForOwnListings,
} from '../domain/use-cases/member-queries';
import {
  acceptReservationRequest,
  cancelReservationRequest,
  declineReservationRequest,
} from '../domain/use-cases/decide-reservation.use-case';
import { moderationOptionsFor } from '../domain/use-cases/moderation-options';
import { moderationStats, ownStandingHistory, searchMembers } from '../domain/use-cases/staff-queries';
import type { MemberDirectory } from '../domain/user/member-directory';
import { provisionMember } from '../domain/use-cases/provision-member.use-case';
import { requestReservation } from '../domain/use-cases/request-reservation.use-case';
import { sendMessage } from '../domain/use-cases/send-message.use-case';
import { unblockUser } from '../domain/use-cases/unblock-user.use-case';
import { accountStatusOf, blocksExpiringBy, standingsChangedSince } from '../domain/use-cases/enforcement-queries';
import { relayOutbox } from '../domain/use-cases/relay-outbox.use-case';
import { settleExpiredBlock } from '../domain/use-cases/settle-expired-block.use-case';
import type { Logger } from '../infrastructure/logging/logger';
import type { WebhookDeadLetters } from '../domain/webhooks/webhook-delivery';
import type { IdempotencyStore } from '../domain/ports/idempotency-store';
import { idempotent } from '../domain/use-cases/idempotent';
import { listWebhookDeadLetters, replayWebhook } from '../domain/use-cases/webhook-dead-letters.use-case';

export interface AppDeps {
  users: PersonalUserRepository;
  listings: ItemListingRepository;
  reservations: ReservationRequestRepository;
  messaging: MessagingRepository;
  appeals: AppealRepository;
  /** Members as staff search them. */
  members: MemberDirectory;
  events: EventPublisher;
  clock: Clock;
  optimisticRetries: number;
  /** Live sockets across instances: presence and force-disconnect. */
  sessions: SessionControl;
  audit: AuditRecorder;
  /** The audit trail as admins read it (moderationLog). */
  auditLog: AuditLogReader;
  /** The webhook queue's dead letters. */
  webhooks: WebhookDeadLetters;
  /** Results of member mutations by caller and idempotency key. */
  idempotency: IdempotencyStore;
  log: Logger;
}

/** The application services, bound to their adapters: all that resolvers may call. */
export function createAppServices(deps: AppDeps) {
  const onPublishFailure = (error: unknown, events?: readonly { type: string; aggregateId: string }[]) =>
    deps.log.warn(
      { err: error, action: 'publish-failed', events: events?.map((event) => `${event.type}:${event.aggregateId}`) },
      'event publish failed; the outbox relay and the session sweep will catch up',
    );
  const changeDeps = { ...deps, onPublishFailure };
  return {
    provisionMember: provisionMember(deps),
    blockUser: blockUser(changeDeps),
    unblockUser: unblockUser(changeDeps),
    restrictUser: restrictUser(changeDeps),
    liftRestriction: liftRestriction(changeDeps),
    restrictionRecordFor,
    privateDetail,
    // Member mutations: a retry with the same idempotencyKey returns the first result.
    createItemListing: idempotent(deps, 'createItemListing', createItemListing(deps), (id) => deps.listings.findById(id)),
    requestReservation: idempotent(deps, 'createReservationRequest', requestReservation(deps), (id) =>
      deps.reservations.findById(id),
    ),
    sendMessage: idempotent(deps, 'sendMessage', sendMessage({ ...deps, onPublishFailure }), (id) =>
      deps.messaging.findMessage(id),
    ),
    getUser: getUser(deps),
    blockDetailsFor,
    blockHistoryFor,
    listOwnListings: listOwnListings(deps),
    listOwnReservations: listOwnReservations(deps),
    listOwnConversations: listOwnConversations(deps),
    listConversationMessages: listConversationMessages(deps),
    getConversation: getConversation(deps),
    lookupUsers: lookupUsers(deps),
    lookupListing: lookupListing(deps),
    standingsChangedSince: standingsChangedSince(deps),
    accountStatusOf: accountStatusOf(deps),
    blocksExpiringBy: blocksExpiringBy(deps),
    settleExpiredBlock: settleExpiredBlock(changeDeps),
    relayOutbox: relayOutbox(changeDeps),
    forceDisconnect: forceDisconnect(deps),
    activeSessionCount: activeSessionCount(deps),
    audit: deps.audit,
    listModerationLog: listModerationLog(deps),
    appealBlock: idempotent(deps, 'appealBlock', appealBlock(deps), (id) => deps.appeals.findById(id)),
    decideAppeal: decideAppeal(changeDeps),
    listOpenAppeals: listOpenAppeals(deps),
    appealForStatus: appealForStatus(deps),
    listWebhookDeadLetters: listWebhookDeadLetters(deps),
    replayWebhook: replayWebhook(deps),
    moderationOptionsFor,
    searchMembers: searchMembers(deps),
    ownStandingHistory,
    moderationStats: moderationStats(deps),
    browseListings: browseListings(deps),
    getListing: getListing(deps),
    listRequestsForOwnListings: listRequestsForOwnListings(deps),
    acceptReservationRequest: acceptReservationRequest(deps),
    declineReservationRequest: declineReservationRequest(deps),
    cancelReservationRequest: cancelReservationRequest(deps),
  };
}

export type AppServices = ReturnType<typeof createAppServices>;
