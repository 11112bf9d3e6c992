/**
 * The log-in and sign-up forms tell the header's AccountMenu that someone logged in, so it asks
 * again who it is without a full page load.
 */
export const accountChangedEvent = 'academy:account-changed';

export function announceAccountChange(): void {
  window.dispatchEvent(new Event(accountChangedEvent));
}
