'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireOperator } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { SUSPENSION_REASONS, type SuspensionReason } from '@/lib/domain/link-status';
import {
  requestChainedConnectionStopByBank,
  resumeLink,
  resumeProvider,
  suspendLink,
  suspendProvider,
  terminateProvider,
} from '@/lib/operations/commands';
import { OperationError } from '@/lib/operations/errors';
import { refused, type ActionState } from '@/lib/actions/state';
import { unexpectedFailure } from '@/lib/actions/unexpected';

// Operator actions on links and providers (Art. 5.2). Each checks the operator role itself
// (a read-only staff session or a customer session gets 403), validates, and runs one
// transaction in lib/operations. The form keeps what was typed when something is refused.


const uuid = z.string().uuid();
const note = z.string().trim().min(1).max(500).refine((v) => !v.includes('\u0000')); // no NUL: PostgreSQL's text cannot hold one
const reason = z.coerce
  .number()
  .int()
  .refine((n): n is SuspensionReason => (SUSPENSION_REASONS as readonly number[]).includes(n));

class Done {
  constructor(readonly kind: Kind) {}
}
type Kind = 'linkSuspend' | 'linkResume' | 'linkHoldLifted' | 'providerSuspend' | 'providerResume' | 'providerTerminate' | 'chainedStop';

/** `act` may name the result message itself by returning a `Done` (one action, two outcomes); else `kind`'s. */
async function run(kind: Kind, formData: FormData, needsReason: boolean, act: (input: { target: string; note: string; reason: SuspensionReason }) => Promise<unknown>): Promise<ActionState> {
  const t = await getTranslations('staff.actions');
  const values = { note: String(formData.get('note') ?? ''), reason: String(formData.get('reason') ?? '') };
  const target = uuid.safeParse(formData.get('target'));
  const parsedNote = note.safeParse(values.note);
  const parsedReason = needsReason ? reason.safeParse(values.reason) : { success: true as const, data: 1 as SuspensionReason };
  if (!target.success || !parsedNote.success || !parsedReason.success) {
    const fieldErrors: Record<string, string> = {};
    if (!parsedNote.success) fieldErrors.note = t('noteRequired');
    if (!parsedReason.success) fieldErrors.reason = t('reasonRequired');
    return refused(t('invalid'), { values, fieldErrors });
  }
  let done: Kind = kind;
  try {
    const result = await act({ target: target.data, note: parsedNote.data, reason: parsedReason.data });
    if (result instanceof Done) done = result.kind;
  } catch (error) {
    if (error instanceof OperationError) return refused(t(`errors.${error.code}`), { values });
    return unexpectedFailure('operations', error, (ref) => t('errors.unexpected', { ref }), values);
  }
  revalidatePath('/staff', 'layout');
  return { status: 'success', message: t(`done.${done}`), at: Date.now() };
}

export async function suspendLinkAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  return run('linkSuspend', formData, true, async (i) => suspendLink(await getDb(), operator, { linkId: i.target, reason: i.reason, note: i.note }));
}

export async function resumeLinkAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  return run('linkResume', formData, false, async (i) => new Done((await resumeLink(await getDb(), operator, { linkId: i.target, note: i.note })) === 'hold_lifted' ? 'linkHoldLifted' : 'linkResume'));
}

export async function suspendProviderAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  return run('providerSuspend', formData, true, async (i) => suspendProvider(await getDb(), operator, { providerId: i.target, reason: i.reason, note: i.note }));
}

export async function resumeProviderAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  return run('providerResume', formData, false, async (i) => resumeProvider(await getDb(), operator, { providerId: i.target, note: i.note }));
}

export async function terminateProviderAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  return run('providerTerminate', formData, false, async (i) => terminateProvider(await getDb(), operator, { providerId: i.target, note: i.note }));
}

export async function chainedStopByBankAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  return run('chainedStop', formData, false, async (i) => requestChainedConnectionStopByBank(await getDb(), operator, { chainedConnectionId: i.target, note: i.note }));
}
