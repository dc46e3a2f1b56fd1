// The messages the browser gets (NextIntlClientProvider): only the namespaces that client
// components translate with. Without `messages`, next-intl hands every catalogue to the client —
// ≈ 50 000 characters in every page's RSC payload, a fifth of a 20-link dashboard. Server
// components translate on the server and need none of this. messages/client.test.ts fails when
// a client component uses a namespace that is not here.
type Catalogue = Record<string, unknown>;

/** Every page: the sign-in forms, dialogs, a link's switches, the consent form, receipts, errors. */
export const CLIENT_NAMESPACES = ['accountTypes', 'consent', 'dialogs', 'errors', 'groups', 'items', 'link', 'login', 'receipts'] as const;

/** The staff desk besides (app/staff/(desk)/layout.tsx): the operators' forms and confirmations. */
export const STAFF_CLIENT_NAMESPACES = ['Operations', 'staff.actions'] as const;

/** The named namespaces of a catalogue (`a` or `a.b`), nothing else. */
export function pickMessages(messages: Catalogue, namespaces: readonly string[]): Catalogue {
  const picked: Catalogue = {};
  for (const namespace of namespaces) {
    const [head, ...rest] = namespace.split('.');
    let source: unknown = messages[head!];
    let target = picked;
    let key = head!;
    for (const part of rest) {
      target = (target[key] ??= {}) as Catalogue;
      source = (source as Catalogue | undefined)?.[part];
      key = part;
    }
    if (source === undefined) throw new Error(`no message namespace ${namespace}`);
    target[key] = source;
  }
  return picked;
}
