import type { SVGProps } from 'react';

// Icons (no icon font download), decorative: the words next to them carry the meaning. Each is
// drawn once per page, in <IconSprite /> (the root layout), and every use is a two-element
// <svg><use href="#…"/></svg>: a 50-link dashboard repeats a handful of icons a few hundred
// times, and inlining each drawing put it into both the HTML and the RSC payload every time.
// The drawing's stroke is currentColor of the element that uses it.
type IconProps = Omit<SVGProps<SVGSVGElement>, 'name'>;

const DRAWINGS = {
  'check-circle': (
    <>
      <circle cx="10" cy="10" r="8" />
      <path d="m6.5 10.2 2.3 2.3 4.7-5" />
    </>
  ),
  'clock': (
    <>
      <circle cx="10" cy="10" r="8" />
      <path d="M10 5.5V10l3 2" />
    </>
  ),
  'alert-triangle': (
    <>
      <path d="M10 2.8 1.8 17h16.4L10 2.8Z" />
      <path d="M10 8v4M10 14.6v.1" />
    </>
  ),
  'pause-circle': (
    <>
      <circle cx="10" cy="10" r="8" />
      <path d="M8 7v6M12 7v6" />
    </>
  ),
  'stop-circle': (
    <>
      <circle cx="10" cy="10" r="8" />
      <rect x="7" y="7" width="6" height="6" rx="0.5" />
    </>
  ),
  'minus-circle': (
    <>
      <circle cx="10" cy="10" r="8" />
      <path d="M6.5 10h7" />
    </>
  ),
  'info': (
    <>
      <circle cx="10" cy="10" r="8" />
      <path d="M10 9v5M10 6v.1" />
    </>
  ),
  'chevron-right': (
    <>
      <path d="m8 5 5 5-5 5" />
    </>
  ),
  'chevron-left': (
    <>
      <path d="m12 5-5 5 5 5" />
    </>
  ),
  'link': (
    <>
      <path d="M8.5 11.5a3.5 3.5 0 0 0 5 0l2.5-2.5a3.5 3.5 0 0 0-5-5l-1 1" />
      <path d="M11.5 8.5a3.5 3.5 0 0 0-5 0L4 11a3.5 3.5 0 0 0 5 5l1-1" />
    </>
  ),
  'shield': (
    <>
      <path d="M10 2.5 3.5 5v5c0 3.8 2.8 6.6 6.5 7.5 3.7-.9 6.5-3.7 6.5-7.5V5L10 2.5Z" />
    </>
  ),
  'globe': (
    <>
      <circle cx="10" cy="10" r="8" />
      <path d="M2 10h16M10 2c2.2 2.3 3.2 5 3.2 8s-1 5.7-3.2 8c-2.2-2.3-3.2-5-3.2-8s1-5.7 3.2-8Z" />
    </>
  ),
  'wrench': (
    <>
      <path d="M12.8 3.2a4 4 0 0 0-4.9 5.1L3 13.2a1.6 1.6 0 0 0 2.3 2.3l4.9-4.9a4 4 0 0 0 5.1-4.9l-2.3 2.3-2-.4-.4-2 2.2-2.4Z" />
    </>
  ),
  'eye': (
    <>
      <path d="M1.8 10S4.8 4.5 10 4.5 18.2 10 18.2 10 15.2 15.5 10 15.5 1.8 10 1.8 10Z" />
      <circle cx="10" cy="10" r="2.5" />
    </>
  ),
  'search': (
    <>
      <circle cx="8.5" cy="8.5" r="5.5" />
      <path d="m13 13 4.5 4.5" />
    </>
  ),
} as const;

type IconName = keyof typeof DRAWINGS;
const idOf = (name: IconName) => `icon-${name}`;

/** Every icon's drawing, once; hidden, and referenced by the icons below. In the root layout only. */
export function IconSprite() {
  return (
    <svg aria-hidden="true" focusable="false" width="0" height="0" className="absolute size-0 overflow-hidden">
      {(Object.keys(DRAWINGS) as IconName[]).map((name) => (
        <symbol key={name} id={idOf(name)} viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
          {DRAWINGS[name]}
        </symbol>
      ))}
    </svg>
  );
}

function Icon({ name, ...props }: IconProps & { name: IconName }) {
  return (
    <svg aria-hidden="true" width={18} height={18} {...props}>
      <use href={`#${idOf(name)}`} />
    </svg>
  );
}

export const CheckCircleIcon = (p: IconProps) => <Icon {...p} name="check-circle" />;
export const ClockIcon = (p: IconProps) => <Icon {...p} name="clock" />;
export const AlertTriangleIcon = (p: IconProps) => <Icon {...p} name="alert-triangle" />;
export const PauseCircleIcon = (p: IconProps) => <Icon {...p} name="pause-circle" />;
export const StopCircleIcon = (p: IconProps) => <Icon {...p} name="stop-circle" />;
export const MinusCircleIcon = (p: IconProps) => <Icon {...p} name="minus-circle" />;
export const InfoIcon = (p: IconProps) => <Icon {...p} name="info" />;
export const ChevronRightIcon = (p: IconProps) => <Icon {...p} name="chevron-right" />;
export const ChevronLeftIcon = (p: IconProps) => <Icon {...p} name="chevron-left" />;
export const LinkIcon = (p: IconProps) => <Icon {...p} name="link" />;
export const ShieldIcon = (p: IconProps) => <Icon {...p} name="shield" />;
export const GlobeIcon = (p: IconProps) => <Icon {...p} name="globe" />;
export const WrenchIcon = (p: IconProps) => <Icon {...p} name="wrench" />;
export const EyeIcon = (p: IconProps) => <Icon {...p} name="eye" />;
export const SearchIcon = (p: IconProps) => <Icon {...p} name="search" />;
