/** The provider's initial in a tile (no third-party logos are loaded). */
export function ProviderMark({ name, large = false }: { name: string; large?: boolean }) {
  const initial = Array.from(name.trim())[0] ?? '?';
  return (
    <span
      aria-hidden="true"
      className={`grid shrink-0 place-items-center rounded-xl bg-primary-soft font-bold text-primary ${large ? 'size-14 text-2xl' : 'size-11 text-lg'}`}
    >
      {initial}
    </span>
  );
}
