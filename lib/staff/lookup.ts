declare const recorded: unique symbol;

/**
 * Read access to one customer's data for a member of bank staff. Only `lib/staff/queries.ts`
 * creates one, and only after the look-up is written to the staff access log (SPEC §5); the brand
 * keeps anything else from forging it.
 */
export type StaffLookup = { kind: 'staff-lookup'; customerId: string; staffUserId: string; readonly [recorded]: true };
