import type { ComponentChildren } from 'preact';
import { href, onLinkClick } from '../router.ts';

interface LinkProps {
  /** App path, e.g. "/pairs/…". */
  to: string;
  children: ComponentChildren;
  class?: string;
  current?: boolean;
}

/** A real link (works with middle-click, copy link address) that navigates in-app on a plain click. */
export function Link({ to, children, class: className, current }: LinkProps) {
  return (
    <a href={href(to)} class={className} aria-current={current ? 'page' : undefined} onClick={(e) => onLinkClick(e, to)}>
      {children}
    </a>
  );
}
