import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

// Checks provider API responses against the served OpenAPI 3.1 document. OpenAPI 3.1 schemas are
// JSON Schema 2020-12, so Ajv's 2020 build validates them; `$ref`s point into the document's
// components, which is added to Ajv as one schema under DOC_ID.

type Schema = Record<string, unknown>;
type MediaType = { schema?: Schema; example?: unknown };
type Operation = {
  operationId?: string;
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
};
export type OpenApiDocument = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, { servers?: { url: string }[] } & Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const DOC_ID = 'https://renkei.invalid/openapi.json';

// The formats the document uses (Ajv leaves formats to a plugin; these are enough and strict).
const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
};

/** Deep copy with every local `#/…` reference made absolute against the document's id. */
function absoluteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(absoluteRefs) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOC_ID}${v}` : absoluteRefs(v)]),
    ) as T;
  }
  return value;
}

export type ResponseUnderTest = { method: string; path: string; status: number; contentType: string | null; body: unknown };

export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly basePath: string;

  constructor(readonly doc: OpenApiDocument) {
    // strict: false — OpenAPI keywords (e.g. `components`, `example`) sit next to JSON Schema ones.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const [name, pattern] of Object.entries(FORMATS)) this.ajv.addFormat(name, pattern);
    // Integer formats (OpenAPI 3.1 §4.2): the value must fit the declared width.
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addSchema({ $id: DOC_ID, components: absoluteRefs(doc.components) });
    this.basePath = new URL(doc.servers[0]?.url ?? 'http://x/').pathname.replace(/\/$/, '');
  }

  /**
   * The documented operation for a request path: with or without the server's base path, the
   * path item's own server (the authorization server's management calls) where it has one.
   */
  operation(method: string, path: string): { template: string; operation: Operation } | undefined {
    const pathname = new URL(path, 'http://x').pathname;
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const base = item.servers?.[0] ? new URL(item.servers[0].url).pathname.replace(/\/$/, '') : this.basePath;
      const local = pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : pathname;
      const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const operation = item[method.toLowerCase()] as Operation | undefined;
      if (operation && re.test(local)) return { template, operation };
    }
    return undefined;
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(absoluteRefs(schema));
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private check(key: string, schema: Schema | undefined, value: unknown): string[] {
    if (!schema) return [`${key}: no schema in the document`];
    const fn = this.validator(key, schema);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${key}: ${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${e.keyword === 'pattern' ? '' : ` ${JSON.stringify(e.params)}`}`);
  }

  /** Every way a response differs from its operation's documented response; [] when it conforms. */
  validateResponse(response: ResponseUnderTest): string[] {
    const found = this.operation(response.method, response.path);
    if (!found) return [`${response.method} ${response.path}: no such operation in the document`];
    const label = `${response.method.toUpperCase()} ${found.template} → ${response.status}`;
    const documented = found.operation.responses?.[String(response.status)];
    if (!documented) return [`${label}: status not documented`];
    const mediaType = (response.contentType ?? '').split(';')[0]!.trim();
    const content = documented.content?.[mediaType];
    if (!content) return [`${label}: content type "${mediaType}" not documented (${Object.keys(documented.content ?? {}).join(', ') || 'none'})`];
    return this.check(`${label} ${mediaType}`, content.schema, response.body);
  }

  /** Checks a request body against the operation's documented request schema. */
  validateRequest(method: string, path: string, body: unknown, mediaType = 'application/json'): string[] {
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path}: no such operation in the document`];
    return this.check(`${method.toUpperCase()} ${found.template} request ${mediaType}`, found.operation.requestBody?.content?.[mediaType]?.schema, body);
  }

  /** Validates any value against a named component schema. */
  validateComponent(name: string, value: unknown): string[] {
    return this.check(`#/components/schemas/${name}`, { $ref: `#/components/schemas/${name}` }, value);
  }
}

const cache = new Map<string, Promise<OpenApiValidator>>();

/** The validator for the document the server serves at /api/v1/openapi.json (fetched once per base URL). */
export function servedOpenApi(baseURL: string): Promise<OpenApiValidator> {
  let validator = cache.get(baseURL);
  if (!validator) {
    validator = fetch(`${baseURL}/api/v1/openapi.json`).then(async (response) => {
      if (!response.ok) throw new Error(`GET /api/v1/openapi.json: ${response.status}`);
      return new OpenApiValidator((await response.json()) as OpenApiDocument);
    });
    cache.set(baseURL, validator);
  }
  return validator;
}
