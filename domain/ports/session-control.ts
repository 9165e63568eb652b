/** What ending a member's live sessions everywhere achieved. */
export interface DisconnectOutcome {
  /** Sockets closed, summed over every instance that answered. */
  socketsClosed: number;
  /** The instances that answered (this one included), by INSTANCE_ID, sorted. */
  instances: string[];
  /**
   * Instances believed alive that did not answer in time: their sockets, if any, are not
   * in `socketsClosed`. Empty when the count is complete.
   */
  unanswered: string[];
}

/**
 * The member's live connections across every instance of the deployment. Implemented by
 * the transport (infrastructure/presence); the domain only decides who may use it.
 */
export interface SessionControl {
  /**
   * Closes every live socket of `userId` on every instance, without blocking the member:
   * they may reconnect at once. Waits for the instances' answers up to a bounded time.
   */
  disconnectEverywhere(userId: string, correlationId: string): Promise<DisconnectOutcome>;
  /** Live sockets of `userId`, summed over every instance alive now. */
  activeSessionCount(userId: string): Promise<number>;
}
