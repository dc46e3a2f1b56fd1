const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else matches nothing, checked before it reaches a query (no SQL cast error). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
