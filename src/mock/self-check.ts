// Every body the mock builds is checked against its own response schema, to catch a generator or fixture
// bug. For generated and merged bodies that check cost about as much as building the body (the format
// checks of date-time fields dominate), so past a media type's first bodies only a sample is checked: a
// seed-dependent bug still shows in a long run, and a fixture builder (the user's code) is checked always.

/** How many bodies of one media type are all checked before sampling starts. */
export const selfCheckAll = 64;

/** Past the first {@link selfCheckAll}, one body in this many is checked. */
export const selfCheckEvery = 64;

const built = new WeakMap<object, number>();

/** Counts one body built for `media` and says whether it gets the self-check. */
export function takesSelfCheck(media: object): boolean {
  const n = (built.get(media) ?? 0) + 1;
  built.set(media, n);
  return n <= selfCheckAll || n % selfCheckEvery === 0;
}
