import { ComponentProps } from 'react';
import { Link, NavLink } from 'react-router';

// NL Design System's Link renders a plain <a>, which would reload the page; these are the
// router's links with its classes, so they look the same.
const LINK_CLASS = 'nl-link rhc-link';

function withLinkClass(className: string | undefined): string {
  return className ? `${LINK_CLASS} ${className}` : LINK_CLASS;
}

export function RouterLink({ className, ...props }: ComponentProps<typeof Link>) {
  return <Link {...props} className={withLinkClass(className)} />;
}

/** A navigation link; the router marks the current one with aria-current="page". */
export function NavigationLink({ className, ...props }: Omit<ComponentProps<typeof NavLink>, 'className'> & { className?: string }) {
  return <NavLink {...props} className={withLinkClass(className)} />;
}
