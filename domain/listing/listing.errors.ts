import { NotFoundError } from '../shared/domain-error';

export const listingErrors = {
  notFound: () => new NotFoundError('LISTING.NOT_FOUND', 'No such listing'),
};
