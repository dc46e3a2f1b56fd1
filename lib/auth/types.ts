/** The acting customer. Every data-layer function that touches customer data takes one. */
export type CustomerPrincipal = { kind: 'customer'; customerId: string; sessionId: string };

export type StaffRole = 'staff' | 'operator';

/**
 * A signed-in member of bank staff. `staff` may only read (every look-up at a customer is
 * recorded); `operator` may also act (Art. 5.2, 6.1, 7, 9). Functions that change anything
 * take an `OperatorPrincipal`, never a plain staff one.
 */
export type StaffPrincipal = { kind: 'staff'; staffUserId: string; role: StaffRole; name: string; sessionId: string };
export type OperatorPrincipal = StaffPrincipal & { role: 'operator' };

/** Who performed an operator action: a signed-in operator or a scripted CLI run (recorded as such). */
export type OperatorActor = OperatorPrincipal | { kind: 'cli'; name: string };
