'use server';

import { revalidatePath } from 'next/cache';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireOperator } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { cancelMaintenance, publishTerms, recordDisclosure, scheduleMaintenance } from '@/lib/operations/commands';
import { OperationError } from '@/lib/operations/errors';
import { isCalendarDate, isTermsId, parseTokyoDateTime, revisionNoteDate } from '@/lib/operations/input';
import { resolveProviderRef } from '@/lib/operations/resolve';
import { parseTermsText, TermsParseError } from '@/lib/terms/parse';
import type { ActionState } from '@/lib/actions/state';
import { unexpectedFailure } from '@/lib/actions/unexpected';

// The operator console's actions (Art. 6.1, 7, 9). Each one checks the operator itself: the page's
// check only hides the forms, a Server Action is reachable by a POST on its own. Parse (zod) →
// call lib/operations → answer; refusals become messages on their field, anything unexpected a
// generic message with a reference (the details go to the server log only).

const PAGE = '/staff/operations';
type Translate = (key: string, values?: Record<string, string | number>) => string;

// Issue messages are catalogue keys under "Operations" (with an optional ":<max>").
// A NUL is never typed, and PostgreSQL's text cannot hold one: refused as what it is.
const noNul = (v: string) => !v.includes('\u0000');
const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, `errors.tooLong:${max}`).refine(noNul, 'errors.controlCharacters');
const optionalText = (max: number) => z.string().trim().max(max, `errors.tooLong:${max}`).refine(noNul, 'errors.controlCharacters');
const tokyoDateTime = z
  .string()
  .trim()
  .min(1, 'errors.required')
  .transform((value, ctx) => {
    const date = parseTokyoDateTime(value);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: 'errors.dateTime' });
      return z.NEVER;
    }
    return date;
  });

function values(formData: FormData, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, String(formData.get(name) ?? '')]));
}

function translateIssue(t: Translate, key: string): string {
  const [path = 'errors.invalid', max] = key.split(':');
  return t(path, max ? { max: Number(max) } : undefined);
}

async function refusedFields(fieldErrors: Record<string, string>, typed: Record<string, string>): Promise<ActionState> {
  const t = await getTranslations('Operations');
  return { status: 'error', message: t('errors.invalid'), fieldErrors, values: typed, at: Date.now() };
}

function fieldErrorsOf(t: Translate, error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= translateIssue(t, issue.message);
  }
  return errors;
}

async function unexpected(error: unknown, typed: Record<string, string>): Promise<ActionState> {
  const t = await getTranslations('Operations');
  return unexpectedFailure('operations', error, (ref) => t('errors.unexpected', { ref }), typed);
}

async function rangeText(startsAt: Date, endsAt: Date): Promise<string> {
  const [t, format] = await Promise.all([getTranslations('Operations'), getFormatter()]);
  return t('maintenance.range', { start: format.dateTime(startsAt, 'dateTime'), end: format.dateTime(endsAt, 'dateTime') });
}

// ---- Maintenance (Art. 6.1) ----

const MAINTENANCE_FIELDS = ['startsAt', 'endsAt', 'noteJa', 'noteEn'];
const maintenanceSchema = z.object({ startsAt: tokyoDateTime, endsAt: tokyoDateTime, noteJa: text(300), noteEn: text(300) });

export async function scheduleMaintenanceAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  const typed = values(formData, MAINTENANCE_FIELDS);
  const t = await getTranslations('Operations');
  const parsed = maintenanceSchema.safeParse(typed);
  const fieldErrors = parsed.success ? {} : fieldErrorsOf(t, parsed.error);
  // The order of the two times is checked even when a note is missing, so every problem shows at once.
  const startsAt = parseTokyoDateTime(typed.startsAt ?? '');
  const endsAt = parseTokyoDateTime(typed.endsAt ?? '');
  const now = new Date();
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) fieldErrors.endsAt = t('maintenance.endBeforeStart');
  else if (endsAt && endsAt.getTime() <= now.getTime()) fieldErrors.endsAt = t('maintenance.endInPast');
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return refusedFields(fieldErrors, typed);
  const input = parsed.data;
  try {
    await scheduleMaintenance(await getDb(), operator, input, now);
    revalidatePath('/', 'layout'); // the banner on every page
    return { status: 'success', message: t('maintenance.scheduled', { range: await rangeText(input.startsAt, input.endsAt) }), at: Date.now() };
  } catch (error) {
    if (error instanceof OperationError && error.code === 'window_invalid') return refusedFields({ endsAt: t('maintenance.endBeforeStart') }, typed);
    return unexpected(error, typed);
  }
}

const cancelSchema = z.object({ id: z.uuid() });

export async function cancelMaintenanceAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  const typed = values(formData, ['id', 'range']);
  const t = await getTranslations('Operations');
  const parsed = cancelSchema.safeParse(typed);
  if (!parsed.success) return { status: 'error', message: t('errors.not_found'), fieldErrors: {}, values: typed, at: Date.now() };
  try {
    await cancelMaintenance(await getDb(), operator, parsed.data);
    return { status: 'success', message: t('maintenance.cancelled', { range: typed.range ?? '' }), at: Date.now() };
  } catch (error) {
    if (error instanceof OperationError && error.code === 'not_found') return { status: 'error', message: t('errors.not_found'), fieldErrors: {}, values: typed, at: Date.now() };
    return unexpected(error, typed);
  } finally {
    revalidatePath('/', 'layout');
  }
}

// ---- Terms (Art. 9) ----

const TERMS_FIELDS = ['id', 'revisedOn', 'effectiveFrom', 'text'];
const termsSchema = z.object({
  id: z.string().trim().min(1, 'errors.required').refine(isTermsId, 'terms.idFormat'),
  revisedOn: z.string().trim().min(1, 'errors.required').refine(isCalendarDate, 'errors.date'),
  effectiveFrom: tokyoDateTime,
  text: z.string().max(100_000, 'errors.tooLong:100000').refine((v) => v.trim() !== '', 'errors.required').refine(noNul, 'errors.controlCharacters'),
});

export async function publishTermsAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  const typed = values(formData, TERMS_FIELDS);
  const t = await getTranslations('Operations');
  const parsed = termsSchema.safeParse(typed);
  const fieldErrors = parsed.success ? {} : fieldErrorsOf(t, parsed.error);
  // The text is checked even when another field is wrong, so every problem shows at once.
  let body;
  if (!fieldErrors.text) {
    try {
      body = parseTermsText(typed.text ?? '');
      const noteDate = revisionNoteDate(body.revisionNote);
      const revisedOn = (typed.revisedOn ?? '').trim();
      if (noteDate !== null && isCalendarDate(revisedOn) && noteDate !== revisedOn) fieldErrors.text = t('terms.noteMismatch', { note: body.revisionNote });
    } catch (error) {
      if (!(error instanceof TermsParseError)) return unexpected(error, typed);
      fieldErrors.text = t(`terms.parse.${error.code}`, { line: error.line, expected: error.params.expected ?? 0, found: error.params.found ?? 0 });
    }
  }
  const now = new Date();
  const effective = parseTokyoDateTime(typed.effectiveFrom ?? '');
  if (effective && effective.getTime() <= now.getTime()) fieldErrors.effectiveFrom = t('terms.notFuture');
  if (!parsed.success || !body || Object.keys(fieldErrors).length > 0) return refusedFields(fieldErrors, typed);
  const { id, revisedOn, effectiveFrom } = parsed.data;
  try {
    await publishTerms(await getDb(), operator, { id, revisedOn, effectiveFrom, body }, now);
    revalidatePath('/terms');
    revalidatePath(PAGE);
    const format = await getFormatter();
    return { status: 'success', message: t('terms.published', { version: id, date: format.dateTime(effectiveFrom, 'dateTime') }), at: Date.now() };
  } catch (error) {
    if (error instanceof OperationError && error.code === 'terms_exists') return refusedFields({ id: t('terms.exists') }, typed);
    if (error instanceof OperationError && error.code === 'terms_not_future') return refusedFields({ effectiveFrom: t('terms.notFuture') }, typed);
    return unexpected(error, typed);
  }
}

// ---- Disclosures (Art. 7) ----

const DISCLOSURE_FIELDS = ['customerNumber', 'providerId', 'information', 'reason', 'disclosedAt', 'note'];
const disclosureSchema = z.object({
  customerNumber: z.string().trim().min(1, 'errors.required').regex(/^\d{1,20}$/, 'disclosure.customerNumberFormat'),
  providerId: z.uuid('disclosure.providerRequired'),
  information: text(500),
  reason: z.enum(['1', '2', '3', '4'], 'disclosure.reasonRequired').transform((v) => Number(v) as 1 | 2 | 3 | 4),
  disclosedAt: tokyoDateTime,
  note: optionalText(500),
});

export async function recordDisclosureAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const operator = await requireOperator();
  const typed = values(formData, DISCLOSURE_FIELDS);
  const t = await getTranslations('Operations');
  const parsed = disclosureSchema.safeParse(typed);
  const fieldErrors = parsed.success ? {} : fieldErrorsOf(t, parsed.error);
  const disclosedAt = parseTokyoDateTime(typed.disclosedAt ?? '');
  const now = new Date();
  if (disclosedAt && disclosedAt.getTime() > now.getTime()) fieldErrors.disclosedAt = t('disclosure.inFuture');
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return refusedFields(fieldErrors, typed);
  try {
    const db = await getDb();
    await recordDisclosure(db, operator, parsed.data, now);
    revalidatePath(PAGE);
    const provider = await resolveProviderRef(db, parsed.data.providerId);
    const locale = await getLocale();
    const providerName = provider ? (locale === 'en' ? provider.nameEn : provider.nameJa) : parsed.data.providerId;
    return { status: 'success', message: t('disclosure.recorded', { number: parsed.data.customerNumber, provider: providerName }), at: Date.now() };
  } catch (error) {
    if (error instanceof OperationError && error.code === 'not_found') return refusedFields({ customerNumber: t('disclosure.customerNotFound') }, typed);
    if (error instanceof OperationError && error.code === 'invalid') return refusedFields({}, typed);
    return unexpected(error, typed);
  }
}
