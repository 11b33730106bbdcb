/** The header that scopes overrides and journal entries to one client (one test run). */
export const clientHeader = 'iwkit-client';

/** The first value of a header that may repeat. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
