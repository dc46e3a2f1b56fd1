import type { ReactNode } from 'react';

/**
 * A code example: a caption and a block that scrolls sideways on a narrow screen (focusable, so
 * a keyboard can scroll it too). Whitespace is kept as written.
 */
export function CodeBlock({ code, caption }: { code: string; caption?: ReactNode }) {
  return (
    <figure className="min-w-0 space-y-1.5">
      {caption ? <figcaption className="text-sm font-semibold text-ink-muted">{caption}</figcaption> : null}
      <pre tabIndex={0} className="overflow-x-auto rounded-lg bg-ink px-4 py-3 font-mono text-[0.8125rem] leading-relaxed text-white">
        <code>{code}</code>
      </pre>
    </figure>
  );
}

/** Inline code for identifiers, paths and header names; long values wrap anywhere. */
export function Code({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <code className={`rounded bg-canvas px-1 py-0.5 font-mono text-[0.875em] [overflow-wrap:anywhere] ${className}`}>{children}</code>;
}

/** A path or URL that may break only before a slash (or at a hyphen), never mid-word. */
export function BreakablePath({ value }: { value: string }) {
  const parts = value.split(/(?=\/)/);
  return (
    <>
      {parts.map((part, index) => (
        <span key={`${index}-${part}`}>
          {index > 0 ? <wbr /> : null}
          {part}
        </span>
      ))}
    </>
  );
}
