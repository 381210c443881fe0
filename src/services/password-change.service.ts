import { hashPassword } from '#src/auth/password-hasher.js';
import { passwordProblems } from '#src/domain/password-policy.js';
import { AppError, type ValidationErrors } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import type { AccountService } from '#src/services/account.service.js';
import type { LoginThrottleService } from '#src/services/login-throttle.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { SessionService } from '#src/services/session.service.js';

export const WRONG_CURRENT_PASSWORD_MESSAGE = 'Your current password is not right.';
export const SAME_PASSWORD_MESSAGE = 'The new password is the same as the current one.';
export const SESSION_ONLY_MESSAGE = 'Change your password from the web app: API tokens cannot change it.';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/**
 * A signed-in person changes their own password: the current one is checked under the login limits (a stolen
 * session must not become a way to guess it), the new one under the password rule; every other session ends,
 * the one asking stays.
 */
export class PasswordChangeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: { accounts: AccountService; sessions: SessionService; throttle: LoginThrottleService },
  ) {}

  /** Returns how many other sessions ended. */
  async change(ctx: MemberContext, input: PasswordChange, currentCookie: string | undefined): Promise<number> {
    // A token (a script's, perhaps leaked) must not be able to take the account over.
    if (ctx.via !== 'session') throw AppError.forbidden(SESSION_ONLY_MESSAGE);
    const user = ctx.actor.user;
    const { accounts, sessions, throttle } = this.services;
    const problems: ValidationErrors = {};
    const newProblems = await passwordProblems(input.newPassword, { email: user.email, username: user.username, firstName: user.first_name, lastName: user.last_name });
    if (newProblems.length > 0) problems.new_password = newProblems;
    if (input.currentPassword === '') problems.current_password = ['This field may not be blank.'];
    if (Object.keys(problems).length > 0) throw AppError.validation(problems);
    const right = await throttle.guard(ctx, user.email, async () => ((await accounts.isCurrentPassword(user.id, input.currentPassword)) ? true : undefined));
    if (!right) throw AppError.validation({ current_password: [WRONG_CURRENT_PASSWORD_MESSAGE] }, 'auth.invalid_credentials');
    if (input.newPassword === input.currentPassword) throw AppError.validation({ new_password: [SAME_PASSWORD_MESSAGE] });
    const hash = await hashPassword(input.newPassword);
    return this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.users.update(user.id, { password: hash });
      const ended = await sessions.endOthers(tx, user.id, currentCookie);
      await tx.record({ action: 'user.password_changed', target: { type: 'user', id: user.id }, details: { signed_out_elsewhere: ended } });
      return ended;
    });
  }
}
