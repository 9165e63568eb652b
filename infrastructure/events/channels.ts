/**
 * Pub/sub channel names. Every name carries the deployment's prefix so two environments
 * (or two test files) sharing one Redis never hear each other.
 */
export interface Channels {
  /** Every AccountStatus change (block, unblock, expiry) of every member. */
  accountStatus: string;
  /** Every message sent, for live delivery to its recipient. */
  messageSent: string;
}

export function channelsFor(prefix: string): Channels {
  return { accountStatus: `${prefix}account-status`, messageSent: `${prefix}message-sent` };
}
