/** Everything a member does that a block forbids. */
export const USER_ACTIONS = ['CREATE_LISTING', 'REQUEST_RESERVATION', 'SEND_MESSAGE'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];
