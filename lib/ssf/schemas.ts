import { z } from 'zod';
import { isSandbox } from '@/lib/env';

// The Shared Signals transmitter's wire formats and limits (SSF 1.0, RFC 8935/8936): what the
// stream and poll endpoints validate with (lib/ssf/streams.ts) and what the OpenAPI document
// describes (lib/api/openapi.ts). No database here.

export const DELIVERY_PUSH = 'urn:ietf:rfc:8935';
export const DELIVERY_POLL = 'urn:ietf:rfc:8936';
/** Seconds between two verification requests of one stream (SSF 1.0 §8.1.4). */
export const MIN_VERIFICATION_INTERVAL_S = 30;
/** The scope of the provider's own token for stream management and polling (audience <issuer>/ssf). */
export const SSF_SCOPE = 'ssf';
export const STREAM_STATUSES = ['enabled', 'paused', 'disabled'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];
/** How many SETs one poll may return. */
export const MAX_POLL_EVENTS = 100;
/** Undelivered poll events are kept at least this long (housekeeping never removes them earlier). */
export const POLL_RETENTION_DAYS = 30;

const endpointUrl = z
  .string()
  .max(2000)
  .meta({ format: 'uri' })
  .refine((value) => URL.canParse(value) && ['https:', ...(isSandbox ? ['http:'] : [])].includes(new URL(value).protocol), {
    message: isSandbox ? 'endpoint_url must be an http(s) URL' : 'endpoint_url must be an https URL',
  });
const delivery = z.discriminatedUnion('method', [
  z.object({ method: z.literal(DELIVERY_PUSH), endpoint_url: endpointUrl, authorization_header: z.string().min(1).max(2000).optional() }),
  // The transmitter supplies the poll endpoint_url; one the receiver sends is ignored.
  z.object({ method: z.literal(DELIVERY_POLL), endpoint_url: z.string().max(2000).optional() }),
]);
export const streamInputSchema = z.object({
  stream_id: z.string().max(200).optional(),
  delivery: delivery.optional(),
  events_requested: z.array(z.url().max(300)).max(100).optional(),
  description: z.string().max(500).optional(),
});

export const pollInputSchema = z.object({
  maxEvents: z.number().int().min(0).max(10_000).meta({ format: 'int32' }).optional(),
  returnImmediately: z.boolean().optional(),
  ack: z.array(z.string().max(200)).max(1_000).optional(),
  setErrs: z.record(z.string().max(200), z.object({ err: z.string().max(100), description: z.string().max(500).optional() })).optional(),
});
