import { NotFoundError, ValidationError } from '../shared/domain-error';

export const appealErrors = {
  alreadyFiled: () => new ValidationError('APPEAL.ALREADY_FILED', 'This block has already been appealed', 'message'),
  alreadyDecided: () => new ValidationError('APPEAL.ALREADY_DECIDED', 'This appeal has already been decided', 'appealId'),
  notFound: () => new NotFoundError('APPEAL.NOT_FOUND', 'No such appeal'),
};
