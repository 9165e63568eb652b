/**
 * Pub/sub channel names. Every name carries the deployment's prefix so two environments
 * (or two test files) sharing one Redis never hear each other.
 */
export interface Channels {
  /** Every AccountStatus change (block, unblock, expiry) of every member. */
  accountStatus: string;
  /** Every message sent, for live delivery to its recipient. */
  messageSent: string;
  /** An admin's request that every instance close a member's sockets (infrastructure/presence). */
  forceDisconnect: string;
  /** Each instance's answer to a forceDisconnect request: how many sockets it closed. */
  forceDisconnectReply: string;
  /** Every audit entry stored, for admins' live `moderationEvents` (infrastructure/audit). */
  moderationEvents: string;
  /** A member authenticated without staff rights: end their staff-only subscriptions (infrastructure/sessions/staff-rights.ts). */
  rightsReduced: string;
}

export function channelsFor(prefix: string): Channels {
  return {
    accountStatus: `${prefix}account-status`,
    messageSent: `${prefix}message-sent`,
    forceDisconnect: `${prefix}force-disconnect`,
    forceDisconnectReply: `${prefix}force-disconnect-reply`,
    moderationEvents: `${prefix}moderation-events`,
    rightsReduced: `${prefix}rights-reduced`,
  };
}
