/** Lengths the platform's rules fix, in characters after trimming. */
export const TEXT_LIMITS = {
  userMessage: 1_000,
  adminNote: 4_000,
  unblockReason: 1_000,
  forceDisconnectReason: 1_000,
  messageText: 2_000,
  listingTitle: 200,
  listingDescription: 5_000,
  listingCategory: 100,
  listingLocation: 200,
  displayName: 200,
  appealMessage: 2_000,
  decisionNote: 1_000,
  /** A member or listing search. */
  searchText: 200,
} as const;
