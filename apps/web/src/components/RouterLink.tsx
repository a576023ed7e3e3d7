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

/** A router link that looks like a button: for the main thing to do on a screen (nominate, new round). */
export function ButtonRouterLink({ className, ...props }: ComponentProps<typeof Link>) {
  const buttonClass = 'utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action';
  return <Link {...props} className={className ? `${buttonClass} ${className}` : buttonClass} />;
}
