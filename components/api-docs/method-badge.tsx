/** HTTP method in words and colour (the word carries the meaning). */
export function MethodBadge({ method }: { method: string }) {
  const tone = method === 'GET' ? 'bg-primary-soft text-primary-strong border-primary/30' : 'bg-positive-soft text-positive border-positive/30';
  return <span className={`inline-flex min-w-14 shrink-0 justify-center rounded-md border px-2 py-0.5 font-mono text-sm font-bold ${tone}`}>{method}</span>;
}
