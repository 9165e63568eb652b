/** The operations tests send, written once. */
export const BLOCK_USER = `mutation Block($input: BlockUserInput!) {
  blockUser(input: $input) { id isBlocked accountStatus { state reason userMessage expiresAt changedAt } }
}`;

export const UNBLOCK_USER = `mutation Unblock($input: UnblockUserInput!) {
  unblockUser(input: $input) { id isBlocked accountStatus { state } }
}`;

export const CREATE_LISTING = `mutation Create($input: CreateItemListingInput!) {
  createItemListing(input: $input) { id title sharer { id } createdAt }
}`;

export const REQUEST_RESERVATION = `mutation Reserve($input: CreateReservationRequestInput!) {
  createReservationRequest(input: $input) { id state start end listing { id } reserver { id } }
}`;

export const SEND_MESSAGE = `mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { id conversationId text sender { id } recipient { id } sentAt }
}`;

export const LISTING_INPUT = { title: 'Cordless drill', description: 'Barely used', category: 'tools', location: 'Utrecht' };

export function futurePeriod(fromNow = 86_400_000, length = 86_400_000) {
  const start = new Date(Date.now() + fromNow);
  return { start: start.toISOString(), end: new Date(start.getTime() + length).toISOString() };
}

export function blockInput(userId: string, overrides: Record<string, unknown> = {}) {
  return {
    userId,
    reason: 'LATE_RETURN',
    duration: 'DAYS_7',
    userMessage: 'You returned three items late. Your account is paused for a week.',
    adminNote: 'Third late return this month',
    ...overrides,
  };
}
