// Input conventions shared by the operator console and the `npm run ops` CLI. Plain TypeScript.

/** The bank's clock (SPEC §6: stored in UTC, shown in Asia/Tokyo). Japan has no daylight saving. */
const TOKYO_OFFSET = '+09:00';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A date and time as an operator types it: `2027-10-01T02:00` (an HTML datetime-local value, or
 * the CLI without an offset) is Asia/Tokyo time; an ISO 8601 value with `Z` or an offset is taken
 * as written. Null for anything else, including dates that do not exist (2027-02-30).
 */
export function parseTokyoDateTime(value: string): Date | null {
  const text = value.trim();
  const local = LOCAL.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, s = '00'] = local;
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${TOKYO_OFFSET}`);
    if (Number.isNaN(date.getTime())) return null;
    // Reject rolled-over values (Date accepts 2027-02-30 as 2027-03-02).
    return formatTokyoDateTimeLocal(date).slice(0, 16) === `${y}-${mo}-${d}T${h}:${mi}` ? date : null;
  }
  if (WITH_OFFSET.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const tokyoParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(date: Date): Record<string, string> {
  return Object.fromEntries(tokyoParts.formatToParts(date).map((p) => [p.type, p.value]));
}

/** `2027-10-01T02:00:00` in Asia/Tokyo: the value of a datetime-local input (seconds cut by callers as needed). */
export function formatTokyoDateTimeLocal(date: Date): string {
  const p = parts(date);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** `2027-10-01 02:00 JST`, for the CLI's output. */
export function formatTokyo(date: Date): string {
  const p = parts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} JST`;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A terms version id: its revision date, optionally with a suffix (`2027-10-01`, `2027-10-01-2`). */
export const TERMS_ID = /^\d{4}-\d{2}-\d{2}(?:-[a-z0-9]{1,16})?$/;

export function isTermsId(value: string): boolean {
  return TERMS_ID.test(value) && isCalendarDate(value.slice(0, 10));
}

/**
 * The date in a revision note such as （2027年10月1日改定）, as `YYYY-MM-DD`; null when the note
 * has another form. Lets the console and the CLI catch a note left over from the previous version.
 */
export function revisionNoteDate(note: string): string | null {
  const m = /^（\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*改定\s*）$/u.exec(note.trim());
  if (!m) return null;
  const value = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCalendarDate(value) ? value : null;
}
