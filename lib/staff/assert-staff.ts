import type { StaffPrincipal } from '@/lib/auth/types';

/** A staff read asked for by someone who is not bank staff. */
export class NotStaffError extends Error {
  constructor() {
    super('Staff only: visible to bank staff only');
    this.name = 'NotStaffError';
  }
}

/**
 * The data layer's own check that a staff read runs for a staff member (SPEC §5: never only the
 * page or middleware). Every staff and operator query calls it first.
 */
export function assertStaff(principal: StaffPrincipal): void {
  if (principal.kind !== 'staff') throw new NotStaffError();
}
