/** Everything a member does that a block forbids and a restriction may forbid. */
export const USER_ACTIONS = ['CREATE_LISTING', 'REQUEST_RESERVATION', 'ACCEPT_RESERVATION', 'SEND_MESSAGE'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/**
 * Actions about a listing, which a restriction may narrow to listing categories.
 * SEND_MESSAGE concerns no listing and is never category-scoped.
 */
export const CATEGORY_SCOPED_ACTIONS: readonly UserAction[] = ['CREATE_LISTING', 'REQUEST_RESERVATION', 'ACCEPT_RESERVATION'];
