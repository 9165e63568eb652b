import type { PersonalUser } from '../user/personal-user.aggregate';
import { authorize } from '../user/role-table';
import { restrictionErrors } from '../user/user.errors';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface LiftRestrictionCommand extends Traced {
  restrictionId: string;
  reason: string;
}

/** Staff lift one restriction, found by its id, of whichever member holds it. */
export const liftRestriction =
  (deps: ChangeUserDeps & { users: PersonalUserRepository }) =>
  async (command: LiftRestrictionCommand): Promise<PersonalUser> => {
    authorize(command.viewer, 'LIFT_RESTRICTION');
    const holder = await deps.users.findByRestrictionId(command.restrictionId);
    if (!holder) throw restrictionErrors.notFound();
    return changeUser(deps, holder.id, (user) =>
      user.liftRestriction({
        actor: command.viewer,
        restrictionId: command.restrictionId,
        reason: command.reason,
        correlationId: command.correlationId,
      }),
    );
  };
