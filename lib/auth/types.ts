/** The acting customer. Every data-layer function that touches customer data takes one. */
export type CustomerPrincipal = { kind: 'customer'; customerId: string; sessionId: string };
