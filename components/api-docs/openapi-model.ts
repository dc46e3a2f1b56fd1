// What the API reference page shows, read from the OpenAPI 3.1 document (lib/api/openapi.ts):
// operations, their parameters, body and response fields with constraints, error statuses and
// example requests. Plain TypeScript (no React), so the end-to-end tests can check its output
// against the same document.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
  examples?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};
type MediaType = { schema?: JsonSchema; example?: unknown };
type Parameter = { name: string; in: string; required?: boolean; schema?: JsonSchema; description?: string };
type ResponseObject = { description?: string; content?: Record<string, MediaType>; headers?: Record<string, { description?: string; schema?: JsonSchema }> };
type OperationObject = {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, ResponseObject>;
};
type Server = { url: string; description?: string };
/** A path item: its operations, and `servers` when it is not under the document's server. */
type PathItem = { servers?: Server[]; parameters?: Parameter[] } & { [method in (typeof METHODS)[number]]?: OperationObject };
export type OpenApiDoc = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: Server[];
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<
      string,
      { flows?: { authorizationCode?: { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes?: Record<string, string> }; clientCredentials?: { tokenUrl?: string; scopes?: Record<string, string> } } }
    >;
  };
};

/** One constraint on a value, as data: the page words it per language. */
export type Constraint =
  | { kind: 'format'; value: string }
  | { kind: 'enum'; values: string[] }
  | { kind: 'const'; value: string }
  | { kind: 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems'; value: number }
  | { kind: 'pattern'; value: string }
  | { kind: 'default'; value: string };

/** `owner`: the component schema the field belongs to (e.g. `Transfer`), for its description. */
export type Field = { name: string; key: string; owner?: string; depth: number; type: string; required: boolean; constraints: Constraint[]; description?: string };
export type ParameterRow = { name: string; in: string; required: boolean; type: string; constraints: Constraint[]; description?: string };
export type HeaderRow = { name: string; description?: string };
/** `closed`: fields other than those listed are refused (additionalProperties: false). */
export type Body = { mediaType: string; schemaName?: string; fields: Field[]; example: unknown; closed: boolean };
export type ApiOperation = {
  id: string;
  anchor: string;
  method: string;
  path: string;
  /** The base URL of the call: the path item's own server, else the document's. */
  server: string;
  /** True when the path has a server of its own (the authorization server's management calls). */
  ownServer: boolean;
  summary: string;
  /** Any one of these items (scopes) lets the call through; none: a public call without a token. */
  items: string[];
  parameters: ParameterRow[];
  requestBody?: Body & { required: boolean };
  success?: Body & { status: string; description: string; headers: HeaderRow[] };
  errors: { status: string; description: string; headers: HeaderRow[] }[];
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// z.number().int() adds the safe-integer bounds: not a constraint worth a reader's time.
const SAFE = Number.MAX_SAFE_INTEGER;

export function refName(ref: string): string {
  return ref.split('/').at(-1) ?? ref;
}

export function resolve(doc: OpenApiDoc, schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let i = 0; current.$ref && i < 10; i += 1) current = doc.components?.schemas?.[refName(current.$ref)] ?? {};
  return current;
}

function typeOf(doc: OpenApiDoc, schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) {
    const target = resolve(doc, schema);
    return target.type === 'object' ? refName(schema.$ref) : typeOf(doc, target);
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map((v) => typeOf(doc, v)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'array') return `${typeOf(doc, schema.items)}[]`;
  return schema.type ?? (schema.const !== undefined ? typeof schema.const : 'any');
}

function constraintsOf(schema: JsonSchema): Constraint[] {
  const out: Constraint[] = [];
  if (schema.format) out.push({ kind: 'format', value: schema.format });
  if (schema.const !== undefined) out.push({ kind: 'const', value: String(schema.const) });
  if (schema.enum) out.push({ kind: 'enum', values: schema.enum.map(String) });
  for (const kind of ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
    const value = schema[kind];
    if (typeof value === 'number' && Math.abs(value) !== SAFE) out.push({ kind, value });
  }
  // A format (uuid, date-time) already says what its generated pattern says.
  if (schema.pattern && !schema.format) out.push({ kind: 'pattern', value: schema.pattern });
  if (schema.default !== undefined) out.push({ kind: 'default', value: JSON.stringify(schema.default) });
  return out;
}

/** The fields of an object schema, nested objects and arrays of objects flattened with dotted names (of a choice of shapes, the first's). */
export function fieldsOf(doc: OpenApiDoc, schema: JsonSchema | undefined, prefix = '', depth = 0): Field[] {
  const resolved = resolve(doc, schema);
  const first = (resolved.oneOf ?? resolved.anyOf)?.[0];
  if (!resolved.properties && first) return fieldsOf(doc, first, prefix, depth);
  const owner = schema?.$ref ? refName(schema.$ref) : undefined;
  const object = resolved;
  const rows: Field[] = [];
  for (const [name, raw] of Object.entries(object.properties ?? {})) {
    const full = `${prefix}${name}`;
    const target = resolve(doc, raw);
    const element = target.type === 'array' ? resolve(doc, target.items) : undefined;
    const constraints = raw.$ref ? [] : constraintsOf(raw);
    // An array of plain values: its elements' constraints (enum, format) are the field's.
    if (element && element.type !== 'object') constraints.push(...constraintsOf(element).filter((c) => c.kind === 'enum' || c.kind === 'format' || c.kind === 'const'));
    rows.push({ name: full, key: name, owner, depth, type: typeOf(doc, raw), required: (object.required ?? []).includes(name), constraints, description: raw.description ?? target.description });
    if (target.type === 'object' && target.properties) rows.push(...fieldsOf(doc, raw.$ref ? raw : target, `${full}.`, depth + 1));
    if (element?.type === 'object' && element.properties) rows.push(...fieldsOf(doc, target.items?.$ref ? target.items : element, `${full}[].`, depth + 1));
  }
  return rows;
}

/** An example value for a schema: its own `examples`, else one derived from its type and format. */
export function exampleOf(doc: OpenApiDoc, schema: JsonSchema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (depth > 8) return null;
  if (s.examples && s.examples.length > 0) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.[0]) return exampleOf(doc, variants[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, exampleOf(doc, v, depth + 1)]));
    case 'array':
      return [exampleOf(doc, s.items, depth + 1)];
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' && Math.abs(s.minimum) !== SAFE ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (s.format === 'date-time') return '2026-04-01T00:00:00.000Z';
      if (s.format === 'date') return '2026-04-01';
      if (s.format === 'uri') return 'https://example.com/';
      return 'string';
    default:
      return null;
  }
}

function bodyOf(doc: OpenApiDoc, content: Record<string, MediaType> | undefined): Body | undefined {
  const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
  if (!mediaType || !media) return undefined;
  return {
    mediaType,
    schemaName: media.schema?.$ref ? refName(media.schema.$ref) : undefined,
    fields: fieldsOf(doc, media.schema),
    closed: resolve(doc, media.schema).additionalProperties === false,
    example: media.example ?? exampleOf(doc, media.schema),
  };
}

function headersOf(response: ResponseObject): HeaderRow[] {
  return Object.entries(response.headers ?? {}).map(([name, h]) => ({ name, description: h.description }));
}

export function anchorOf(id: string): string {
  return `op-${id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDoc): ApiOperation[] {
  const operations: ApiOperation[] = [];
  const documentServer = doc.servers?.[0]?.url ?? '';
  for (const [path, item] of Object.entries(doc.paths)) {
    const server = item.servers?.[0]?.url ?? documentServer;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const id = op.operationId ?? `${method}${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
      const responses = Object.entries(op.responses ?? {}).sort(([a], [b]) => a.localeCompare(b));
      const success = responses.find(([status]) => /^2\d\d$/.test(status));
      const successBody = success ? bodyOf(doc, success[1].content) : undefined;
      const requestBody = bodyOf(doc, op.requestBody?.content);
      operations.push({
        id,
        anchor: anchorOf(id),
        method: method.toUpperCase(),
        path,
        server,
        ownServer: server !== documentServer,
        summary: op.summary ?? '',
        items: [...new Set((op.security ?? []).flatMap((requirement) => Object.values(requirement).flat()))],
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          type: typeOf(doc, p.schema),
          constraints: constraintsOf(p.schema ?? {}),
          description: p.description,
        })),
        requestBody: requestBody ? { ...requestBody, required: Boolean(op.requestBody?.required) } : undefined,
        success: success
          ? { status: success[0], description: success[1].description ?? '', headers: headersOf(success[1]), ...(successBody ?? { mediaType: '', fields: [], example: undefined, closed: false }) }
          : undefined,
        errors: responses.filter(([status]) => !/^2\d\d$/.test(status)).map(([status, r]) => ({ status, description: r.description ?? '', headers: headersOf(r) })),
      });
    }
  }
  return operations;
}

/** The request URL of an example: path parameters and query parameters from their examples. */
export function exampleUrl(doc: OpenApiDoc, op: ApiOperation): string {
  const item = doc.paths[op.path];
  const raw = item?.[op.method.toLowerCase() as (typeof METHODS)[number]];
  const params = [...(item?.parameters ?? []), ...(raw?.parameters ?? [])];
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of params) {
    const value = exampleOf(doc, p.schema);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    // Optional query parameters only when they have a real example (not a made-up cursor).
    if (p.in === 'query' && (p.required || p.schema?.examples)) query.set(p.name, String(value));
  }
  const search = query.toString();
  return `${op.server}${path}${search ? `?${search}` : ''}`;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A curl command for the operation, with the DPoP headers (RFC 9449 §7.1) when it needs a token:
 * the access token in `Authorization: DPoP …` and a fresh proof for this method and URL in `DPoP`.
 */
export function curlOf(doc: OpenApiDoc, op: ApiOperation): string {
  const url = exampleUrl(doc, op);
  const lines = [`curl -X ${op.method} ${shellQuote(url)}`];
  if (op.items.length > 0) lines.push(`  -H "Authorization: DPoP $ACCESS_TOKEN"`, `  -H "DPoP: $DPOP_PROOF"`);
  for (const p of op.parameters) {
    if (p.in === 'header') lines.push(`  -H "${p.name}: $(uuidgen)"`);
  }
  if (op.requestBody) {
    lines.push(`  -H ${shellQuote(`Content-Type: ${op.requestBody.mediaType}`)}`);
    lines.push(`  --data ${shellQuote(JSON.stringify(op.requestBody.example))}`);
  }
  return lines.join(' \\\n');
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
