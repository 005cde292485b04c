// Opening an evaluation expert's account (评标专家账号): staff who maintain the pool open it for an
// active expert in their data scope; the identity module creates the account with a one-time
// initial password, the built-in expert role and a second factor required at the first sign-in.

import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { expertAccountOf, expertHasAccount, openExpertAccount, type OpenedExpertAccount } from '../identity/identity.expert-accounts.ts';
import { expertFor, type Actor } from './experts.service.ts';

export async function openAccountForExpert(deps: Deps, actor: Actor, expertId: string, username: string | undefined): Promise<OpenedExpertAccount> {
  const expert = await expertFor(deps, actor, expertId, 'experts.expert.write');
  if (expert.status !== 'active') throw new AppError('conflict', '该专家已暂停或已出库，不能开通账号', { errors: [{ field: 'id', rule: 'expert_status', message: '专家须为在库状态' }] });
  if (await expertAccountOf(deps, expertId)) throw expertHasAccount();
  return openExpertAccount(deps, actor, { id: expert.id, name: expert.name }, username ?? `zj${expert.id.replace(/-/g, '').slice(0, 10)}`);
}
