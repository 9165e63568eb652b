import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository, ProvisionProfile } from '../user/personal-user.repository';

/** The first authenticated request of a subject creates its member, idempotently. */
export const provisionMember =
  (deps: { users: PersonalUserRepository }) =>
  (profile: ProvisionProfile): Promise<PersonalUser> =>
    deps.users.provision(profile);
