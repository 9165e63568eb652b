import { NotFoundError, ValidationError } from '../shared/domain-error';

export const messagingErrors = {
  toSelf: () => new ValidationError('MESSAGE.TO_SELF', 'You cannot message yourself', 'recipientId'),
  unknownRecipient: () => new NotFoundError('MESSAGE.UNKNOWN_RECIPIENT', 'No such member'),
  conversationNotFound: () => new NotFoundError('CONVERSATION.NOT_FOUND', 'No such conversation'),
};
