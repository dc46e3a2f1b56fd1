'use server';

import { revalidatePath } from 'next/cache';
import { getLocale, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/domain/link-rules';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { requestChainedConnectionStop, setItemGranted, stopLink } from '@/lib/links/commands';
import { refused, type ActionState } from '@/lib/actions/state';
import { unexpectedFailure } from '@/lib/actions/unexpected';


const uuid = z.string().uuid();
const version = z.coerce.number().int().positive();

const itemChangeSchema = z.object({
  linkId: uuid,
  item: z.enum(PERMISSION_ITEM_IDS),
  grant: z.enum(['true', 'false']).transform((v) => v === 'true'),
  version,
  otp: z
    .string()
    .trim()
    .regex(/^\d{6}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

async function fail(error: unknown): Promise<ActionState> {
  const t = await getTranslations('results.errors');
  if (error instanceof DomainError) return refused(t(error.code), { code: error.code });
  return unexpectedFailure('portal', error, (ref) => t('unexpected', { ref }));
}

async function invalid(): Promise<ActionState> {
  const t = await getTranslations('results.errors');
  return { status: 'error', code: 'invalid', message: t('invalid'), at: Date.now() };
}

/** Grant or revoke one item. Server Actions check Origin against Host (CSRF) before this runs. */
export async function changeItemAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const principal = await requireCustomer();
  const parsed = itemChangeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const otp = formData.get('otp');
    if (typeof otp === 'string' && otp.trim() !== '' && !/^\d{6}$/.test(otp.trim())) {
      const t = await getTranslations('results.errors');
      return { status: 'error', code: 'step_up_failed', message: t('step_up_failed'), at: Date.now() };
    }
    return invalid();
  }
  const { linkId, item, grant, otp } = parsed.data;
  try {
    const result = await setItemGranted(await getDb(), principal, { linkId, item, grant, otp, expectedVersion: parsed.data.version });
    const t = await getTranslations();
    const itemName = t(`items.${item}.name`);
    return {
      status: 'success',
      message: result.changed ? t(grant ? 'results.itemGranted' : 'results.itemRevoked', { item: itemName }) : t('results.unchanged'),
      at: Date.now(),
    };
  } catch (error) {
    return fail(error);
  } finally {
    revalidatePath(`/links/${linkId}`);
    revalidatePath('/');
  }
}

const stopSchema = z.object({ linkId: uuid, version });

/** Art. 5.1: stop the link from the portal. */
export async function stopLinkAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const principal = await requireCustomer();
  const parsed = stopSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return invalid();
  try {
    const { provider } = await stopLink(await getDb(), principal, { linkId: parsed.data.linkId, expectedVersion: parsed.data.version });
    const t = await getTranslations('results');
    const name = (await getLocale()) === 'en' ? provider.nameEn : provider.nameJa;
    return { status: 'success', message: t('linkStopped', { provider: name }), at: Date.now() };
  } catch (error) {
    return fail(error);
  } finally {
    revalidatePath(`/links/${parsed.data.linkId}`);
    revalidatePath('/');
  }
}

const chainedSchema = z.object({ linkId: uuid, chainedConnectionId: uuid });

export async function requestChainedStopAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const principal = await requireCustomer();
  const parsed = chainedSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return invalid();
  try {
    const { name } = await requestChainedConnectionStop(await getDb(), principal, parsed.data);
    const t = await getTranslations('results');
    return { status: 'success', message: t('chainedRequested', { name }), at: Date.now() };
  } catch (error) {
    return fail(error);
  } finally {
    revalidatePath(`/links/${parsed.data.linkId}`);
  }
}
